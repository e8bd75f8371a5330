/**
 * The CLI as users run it: BIN, package.json's "bin" (bin/redis-pilot.cjs, the launcher
 * of the esbuild bundle; `npm test` builds it first). CLI is the same file, for tests
 * that run it as `node CLI`.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/redis-pilot.cjs", import.meta.url));
export const CLI = BIN;

export interface BinRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs BIN; the environment is `base` (default: this process's) plus `env`. */
export function runBin(args: string[], env: NodeJS.ProcessEnv = {}, base: NodeJS.ProcessEnv = process.env, cwd?: string): Promise<BinRun> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...base, ...env }, timeout: 30_000, cwd }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
