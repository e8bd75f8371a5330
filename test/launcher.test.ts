/**
 * bin/redis-pilot.cjs, the package's one launcher: every verb runs from the bundle, the
 * environment is read at run time, and V8's code cache is written by the first run,
 * replaced when rejected, and never needed. Cache tests run a copy of the launcher and
 * bundle in a scratch folder, so they never touch the dist/ other tests run.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runBin, type BinRun } from "./helpers/cli.js";

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runBin(args, env);

const scratch = mkdtempSync(join(tmpdir(), "redis-pilot-launcher-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the launcher and the bundle (no code cache) in its own folder. */
function copyOfPackage(name: string): { bin: string; cache: (verb: string) => string } {
  const root = join(scratch, name);
  mkdirSync(join(root, "bin"), { recursive: true });
  mkdirSync(join(root, "dist", "bin"), { recursive: true });
  copyFileSync(fileURLToPath(new URL("../bin/redis-pilot.cjs", import.meta.url)), join(root, "bin", "redis-pilot.cjs"));
  const bundle = join(root, "dist", "bin", "redis-pilot.bundle.cjs");
  copyFileSync(fileURLToPath(new URL("../dist/bin/redis-pilot.bundle.cjs", import.meta.url)), bundle);
  return { bin: join(root, "bin", "redis-pilot.cjs"), cache: (verb) => `${bundle}.${verb}.v8cache` };
}

function runFile(bin: string, args: string[]): Promise<BinRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe("bin/redis-pilot.cjs", () => {
  it.each([
    [["cluster", "--help"], /create \[options\]/],
    [["lab", "--help"], /up \[options\]/],
    [["--version"], /^0\.1\.0$/m],
    [["mcp", "--help"], /--http/],
  ])("%j", async (args, out) => {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(out);
  });

  it("reads the environment at run time: each run's REDIS_PILOT_HOME", async () => {
    const [a, b] = [join(scratch, "home-a"), join(scratch, "home-b")];
    const up = await run(["lab", "up", "--name", "runtime-env", "--nodes", "1", "--no-cluster", "--json"], { REDIS_PILOT_HOME: a });
    expect(up.code, up.stderr).toBe(0);
    try {
      const names = async (home: string) => JSON.parse((await run(["lab", "list", "--json"], { REDIS_PILOT_HOME: home })).stdout).labs.map((l: { name: string }) => l.name);
      expect(await names(a)).toEqual(["runtime-env"]);
      expect(await names(b)).toEqual([]);
    } finally {
      expect((await run(["lab", "down", "runtime-env", "--yes"], { REDIS_PILOT_HOME: a })).code).toBe(0);
    }
  });

  it("turns ioredis's debug output on from DEBUG", async () => {
    const quiet = await run(["cluster", "info", "127.0.0.1:1"]);
    const loud = await run(["cluster", "info", "127.0.0.1:1"], { DEBUG: "ioredis:redis" });
    expect(quiet.stderr).not.toContain("ioredis:redis");
    expect(loud.stderr).toMatch(/ioredis:redis status\[127\.0\.0\.1:1\]/);
  });

  it("runs with NODE_OPTIONS set (other V8 flags only make it rebuild its code cache)", async () => {
    const r = await run(["cluster", "--help"], { NODE_OPTIONS: "--max-old-space-size=512" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/create \[options\]/);
  });

  it("writes a code cache per verb on its first run, and replaces one it cannot use", async () => {
    const { bin, cache } = copyOfPackage("cache");
    expect(existsSync(cache("default"))).toBe(false);
    expect((await runFile(bin, ["--version"])).code).toBe(0);
    expect(statSync(cache("default")).size).toBeGreaterThan(1000);
    // The verb's own cache: its key ends at the first option or address.
    expect((await runFile(bin, ["cluster", "info", "127.0.0.1:1", "--json"])).code).toBe(1);
    expect(statSync(cache("cluster-info")).size).toBeGreaterThan(statSync(cache("default")).size);
    writeFileSync(cache("cluster"), "not a code cache");
    const r = await runFile(bin, ["cluster", "--help"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/create \[options\]/);
    expect(readFileSync(cache("cluster"), "utf8")).not.toBe("not a code cache");
  });

  it("says how to build when the bundle is missing", async () => {
    const { bin } = copyOfPackage("unbuilt");
    rmSync(join(scratch, "unbuilt", "dist"), { recursive: true });
    const r = await runFile(bin, ["--help"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: redis-pilot is not built. Run 'npm run build' (or 'npm start') in its checkout first.\n");
  });
});
