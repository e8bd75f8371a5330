/**
 * vitest globalSetup: a place for the test run's own Docker engine. Nothing starts here;
 * the first docker test that needs an engine starts dockerd in this dir
 * (test/helpers/docker-engine.ts), and teardown stops it by its pid and removes the dir.
 * A run with no docker test never starts an engine.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    dockerEngineDir: string;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** dockerd stops its containers and its containerd on SIGTERM; SIGKILL only if it hangs. */
async function stopEngine(dir: string): Promise<void> {
  const pidFile = join(dir, "dockerd.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 300 && alive(pid); i++) await sleep(50);
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

/** dockerd leaves its network namespace mounted under exec-root: unmount what lies under dir, deepest first. */
function unmountUnder(dir: string): void {
  const points = readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1]?.replace(/\\040/g, " "))
    .filter((p): p is string => p !== undefined && p.startsWith(dir + "/"))
    .sort((a, b) => b.length - a.length);
  for (const point of points) execFileSync("umount", [point]);
}

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "redis-pilot-dockerd-"));
  project.provide("dockerEngineDir", dir);
  return async () => {
    await stopEngine(dir);
    try {
      unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      process.stderr.write(`docker engine dir ${dir} not removed: ${(err as Error).message}\n`);
    }
  };
}
