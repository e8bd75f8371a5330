// The docker lab's pure parts: ldd output, the tar writer (read back by the system's tar),
// the image tag from redis-server --version, the image's root file system, and which
// containers count as a crashed run's leftovers.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseLdd } from "../src/lab/docker/ldd.js";
import { tarArchive } from "../src/lab/docker/tar.js";
import { localImageRef, parseServerVersion, rootfsEntries } from "../src/lab/docker/image.js";
import { LABEL_HOST, LABEL_KEY, orphanIds } from "../src/lab/docker/labels.js";

const run = promisify(execFile);

describe("parseLdd", () => {
  it("keeps libraries and the loader, skips the vdso", () => {
    const out = [
      "\tlinux-vdso.so.1 (0x00007ffd1b3f2000)",
      "\tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x00007f4e3f887000)",
      "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f4e3f6a5000)",
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f4e400b0000)",
      "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f4e3f6a5000)",
    ].join("\n");
    expect(parseLdd(out)).toEqual(["/lib/x86_64-linux-gnu/libssl.so.3", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"]);
  });

  it("reads a static binary as needing nothing", () => {
    expect(parseLdd("\tstatically linked\n")).toEqual([]);
  });

  it("names libraries that are not found", () => {
    expect(() => parseLdd("\tliblzf.so.1 => not found\n\tlibjemalloc.so.2 => not found\n")).toThrow(/liblzf\.so\.1, libjemalloc\.so\.2/);
  });
});

describe("tarArchive", () => {
  it("writes an archive the system tar lists and extracts byte for byte", async () => {
    const dir = mkdtempSync(join(tmpdir(), "redis-pilot-tar-"));
    try {
      const long = `${"d".repeat(60)}/${"e".repeat(60)}/file.bin`;
      const data = Buffer.from(Array.from({ length: 1500 }, (_, i) => i % 251));
      const archive = tarArchive([
        { path: "usr", type: "dir", mode: 0o755 },
        { path: "usr/bin/", type: "dir", mode: 0o755 },
        { path: "usr/bin/tool", type: "file", mode: 0o755, data },
        { path: "empty", type: "file", mode: 0o644, data: Buffer.alloc(0) },
        { path: long, type: "file", mode: 0o600, data: Buffer.from("x") },
      ]);
      expect(archive.length % 512).toBe(0);
      writeFileSync(join(dir, "a.tar"), archive);
      const { stdout } = await run("tar", ["-tvf", join(dir, "a.tar")]);
      const lines = stdout.trim().split("\n");
      expect(lines.map((l) => l.split(/\s+/).pop())).toEqual(["usr/", "usr/bin/", "usr/bin/tool", "empty", long]);
      expect(lines[2]).toMatch(/^-rwxr-xr-x .* 1500 /);
      await run("tar", ["-xf", join(dir, "a.tar"), "-C", dir]);
      expect(readFileSync(join(dir, "usr/bin/tool")).equals(data)).toBe(true);
      expect(readFileSync(join(dir, long), "utf8")).toBe("x");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("image names and root file system", () => {
  it.each([
    ["Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=ae4d7c971a948f0", "redis-pilot/redis-host:7.0.15-ae4d7c97"],
    ["Redis server v=8.4.0 sha=1234:1 malloc=libc bits=64 build=5f0e", "redis-pilot/redis-host:8.4.0-5f0e"],
  ])("tags %s as %s", (version, ref) => {
    expect(localImageRef(parseServerVersion(version))).toBe(ref);
  });

  it("refuses output without a version", () => {
    expect(() => parseServerVersion("not redis")).toThrow(/Cannot read a version/);
  });

  it("lists every parent dir once, before the files, with /tmp sticky", () => {
    const entries = rootfsEntries([
      { path: "/usr/bin/redis-server", data: Buffer.from("b"), mode: 0o755 },
      { path: "/lib/x86_64-linux-gnu/libc.so.6", data: Buffer.from("c"), mode: 0o644 },
    ]);
    expect(entries.map((e) => `${e.type} ${e.path}`)).toEqual([
      "dir data",
      "dir lib",
      "dir lib/x86_64-linux-gnu",
      "dir tmp",
      "dir usr",
      "dir usr/bin",
      "file usr/bin/redis-server",
      "file lib/x86_64-linux-gnu/libc.so.6",
    ]);
    expect(entries.find((e) => e.path === "tmp")?.mode).toBe(0o1777);
  });
});

describe("orphanIds", () => {
  const c = (Id: string, key: string | undefined, host = "h1") => ({ Id, Labels: { ...(key ? { [LABEL_KEY]: key } : {}), [LABEL_HOST]: host } });
  const live = new Set(["/home/.redis-pilot/labs/live"]);
  it.each([
    ["a lab whose state dir is gone", c("1", "/home/.redis-pilot/labs/gone"), ["1"]],
    ["a live lab", c("2", "/home/.redis-pilot/labs/live"), []],
    ["another host's container", c("3", "/home/.redis-pilot/labs/gone", "h2"), []],
    ["a container without a key", c("4", undefined), []],
    ["a key that is not an absolute path", c("5", "relative/labs/x"), []],
  ])("%s", (_what, container, expected) => {
    expect(orphanIds([container], "h1", (p) => live.has(p))).toEqual(expected);
  });
});
