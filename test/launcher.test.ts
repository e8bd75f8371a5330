/**
 * bin/redis-pilot, the package's bin: which verbs start from the startup snapshot, the
 * fallback to the bundle when the blob does not fit the node on PATH, and that a run
 * from the snapshot reads its environment at run time, not at build time.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBin } from "./helpers/cli.js";

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runBin(args, env);

const scratch = mkdtempSync(join(tmpdir(), "redis-pilot-launcher-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("bin/redis-pilot", () => {
  it("has a snapshot: npm run build made one for this node", () => {
    expect(existsSync(new URL("../dist/bin/redis-pilot.blob", import.meta.url))).toBe(true);
  });

  it.each([
    [["cluster", "--help"], "snapshot", /create \[options\]/],
    [["lab", "--help"], "snapshot", /up \[options\]/],
    [["--version"], "bundle", /^0\.1\.0$/m],
    [["mcp", "--help"], "bundle", /--http/],
  ])("%j runs from the %s", async (args, how, out) => {
    const r = await run(args);
    expect(r.stderr).toContain(`redis-pilot: ${how}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(out);
  });

  it("reads the environment at run time: each run's REDIS_PILOT_HOME, not the build's", async () => {
    const [a, b] = [join(scratch, "home-a"), join(scratch, "home-b")];
    const up = await run(["lab", "up", "--name", "runtime-env", "--nodes", "1", "--no-cluster", "--json"], { REDIS_PILOT_HOME: a });
    expect(up.stderr).toContain("redis-pilot: snapshot");
    expect(up.code).toBe(0);
    try {
      const names = async (home: string) => JSON.parse((await run(["lab", "ls", "--json"], { REDIS_PILOT_HOME: home })).stdout).labs.map((l: { name: string }) => l.name);
      expect(await names(a)).toEqual(["runtime-env"]);
      expect(await names(b)).toEqual([]);
    } finally {
      expect((await run(["lab", "down", "runtime-env", "--yes"], { REDIS_PILOT_HOME: a })).code).toBe(0);
    }
  });

  it("turns ioredis's debug output on from DEBUG of the run (it is read when ioredis loads, at build time)", async () => {
    const quiet = await run(["cluster", "info", "127.0.0.1:1"]);
    const loud = await run(["cluster", "info", "127.0.0.1:1"], { DEBUG: "ioredis:redis" });
    expect(quiet.stderr).not.toContain("ioredis:redis");
    expect(loud.stderr).toContain("redis-pilot: snapshot");
    expect(loud.stderr).toMatch(/ioredis:redis status\[127\.0\.0\.1:1\]/);
  });

  it("runs the bundle when the node on PATH is not the one that built the blob", async () => {
    // Another file named node (a wrapper around the same binary) stands for another Node install.
    const dir = join(scratch, "other-node");
    mkdirSync(dir);
    writeFileSync(join(dir, "node"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} "$@"\n`);
    chmodSync(join(dir, "node"), 0o755);
    const r = await run(["cluster", "--help"], { PATH: `${dir}:${process.env.PATH}` });
    expect(r.stderr).toContain("redis-pilot: bundle");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/create \[options\]/);
  });

  it("runs the bundle when NODE_OPTIONS is set: V8 flags other than the build's make a blob fail to load", async () => {
    const r = await run(["cluster", "--help"], { NODE_OPTIONS: "--max-old-space-size=512" });
    expect(r.stderr).toContain("redis-pilot: bundle");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/create \[options\]/);
  });

  it("moves NODE_EXTRA_CA_CERTS aside for snapshot verbs and leaves it for the rest", async () => {
    // A file that is not there: Node warns about it when it starts; the snapshot run never reads it.
    const bad = join(scratch, "no-such-ca.pem");
    const fast = await run(["cluster", "--help"], { NODE_EXTRA_CA_CERTS: bad });
    expect(fast.code).toBe(0);
    expect(fast.stderr).not.toMatch(/extra certs/i);
    const slow = await run(["--version"], { NODE_EXTRA_CA_CERTS: bad });
    expect(slow.code).toBe(0);
    expect(slow.stderr).toMatch(/extra certs/i);
  });
});
