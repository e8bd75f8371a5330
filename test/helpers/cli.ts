/**
 * The CLI as users run it. `npm test` builds both first.
 * - BIN, package.json's "bin": a shell launcher that starts node from the V8 startup
 *   snapshot for `cluster` and `lab`, and runs CLI for everything else.
 * - CLI: the launcher of the esbuild bundle, run as `node bin/redis-pilot.cjs`.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/redis-pilot", import.meta.url));
export const CLI = fileURLToPath(new URL("../../bin/redis-pilot.cjs", import.meta.url));

export interface BinRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs BIN with REDIS_PILOT_TRACE_LAUNCH=1 (stderr then says "redis-pilot: snapshot" or
 * "redis-pilot: bundle"). The environment is `base` (default: this process's) plus `env`.
 */
export function runBin(args: string[], env: NodeJS.ProcessEnv = {}, base: NodeJS.ProcessEnv = process.env): Promise<BinRun> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...base, REDIS_PILOT_TRACE_LAUNCH: "1", ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
