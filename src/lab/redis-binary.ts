/**
 * Finds the Redis binaries the local lab runs: an explicit env variable first
 * (REDIS_SERVER / REDIS_CLI), then PATH. Missing redis-server is the one setup problem
 * a new user hits, so the error's next step is the single command that fixes it.
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { LabError, RedisServerMissingError } from "../errors.js";

/** The one command that installs redis-server and redis-cli on Debian/Ubuntu. */
export function installCommand(isRoot: boolean): string {
  return `${isRoot ? "" : "sudo "}apt-get install -y redis-server redis-tools`;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** First executable `name` on a PATH-style string, or undefined. */
export function searchPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function find(name: string, envVar: string, env: NodeJS.ProcessEnv): string | undefined {
  const explicit = env[envVar];
  if (explicit) {
    // An explicit setting that points nowhere is a mistake worth naming, not a fallback.
    if (!isExecutableFile(explicit)) {
      throw new LabError(`${envVar} is set to '${explicit}', which is not an executable file.`, `Point ${envVar} at the ${name} binary, or unset it to use PATH.`);
    }
    return explicit;
  }
  return searchPath(name, env.PATH);
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** Path of redis-server (REDIS_SERVER, else PATH); throws RedisServerMissingError. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string {
  const found = find("redis-server", "REDIS_SERVER", env);
  if (!found) throw new RedisServerMissingError(`Install it with: ${installCommand(isRoot())}`);
  return found;
}

/** Path of redis-cli (REDIS_CLI, else PATH); throws when missing. */
export function findRedisCli(env: NodeJS.ProcessEnv = process.env): string {
  const found = find("redis-cli", "REDIS_CLI", env);
  if (!found) throw new LabError("redis-cli was not found on PATH or in REDIS_CLI.", `Install it with: ${installCommand(isRoot())}`);
  return found;
}
