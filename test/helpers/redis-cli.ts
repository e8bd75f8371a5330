/**
 * redis-cli as the outside judge: `redis-cli --cluster check` must pass on every
 * cluster our code built or changed.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { findRedisCli } from "../../src/lab/redis-binary.js";

const run = promisify(execFile);

export async function redisCliClusterCheck(address: string, password?: string): Promise<{ ok: boolean; output: string }> {
  const [host, port] = [address.slice(0, address.lastIndexOf(":")), address.slice(address.lastIndexOf(":") + 1)];
  // The password goes through the environment, never argv.
  const env = password ? { ...process.env, REDISCLI_AUTH: password } : process.env;
  try {
    const { stdout } = await run(findRedisCli(), ["--cluster", "check", `${host}:${port}`], { env, timeout: 20_000 });
    return { ok: !/\[ERR\]|\[WARNING\]/.test(stdout), output: stdout };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}
