/**
 * The build's bundling step (scripts/bundle.mjs; the other step is tsc) starts no server
 * and gives the same files whether redis-server is on PATH or not. It bundles the
 * compiled dist/src (that `npm test` just built) into scratch folders, never into the
 * dist/bin that other tests run. A redis-server stand-in on PATH records any start.
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "redis-pilot-build-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function bundle(out: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, "scripts", "bundle.mjs"), "--out", out], { env, cwd: root, timeout: 120_000 }, (err, _stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

const files = (dir: string) => readdirSync(dir).sort();

describe("npm run build", () => {
  it("starts no redis-server, and gives the same output with redis-server off PATH", async () => {
    // A redis-server that records being started, first on PATH.
    const fake = join(scratch, "fake-bin");
    const marker = join(scratch, "redis-server-was-started");
    mkdirSync(fake);
    writeFileSync(join(fake, "redis-server"), `#!/bin/sh\ntouch ${JSON.stringify(marker)}\nexit 1\n`);
    chmodSync(join(fake, "redis-server"), 0o755);
    const { REDIS_SERVER: _, ...env } = process.env;
    const withServer = await bundle(join(scratch, "out-a"), { ...env, PATH: `${fake}${delimiter}${env.PATH}` });
    // Off PATH: a PATH with node alone on it.
    const nodeOnly = join(scratch, "node-only");
    mkdirSync(nodeOnly);
    symlinkSync(process.execPath, join(nodeOnly, "node"));
    const without = await bundle(join(scratch, "out-b"), { ...env, PATH: nodeOnly });
    expect(withServer, withServer.stderr).toEqual({ code: 0, stderr: "" });
    expect(without, without.stderr).toEqual({ code: 0, stderr: "" });
    expect(existsSync(marker)).toBe(false);

    const [a, b] = [join(scratch, "out-a"), join(scratch, "out-b")];
    expect(files(a)).toEqual(["redis-pilot.bundle.cjs", "redis-pilot.bundle.cjs.map"]);
    expect(files(b)).toEqual(files(a));
    for (const f of files(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });
});
