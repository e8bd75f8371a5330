/**
 * The Docker engine for docker tests: the user's own (DOCKER_HOST or the default socket)
 * when one answers, else one this test run starts as root without systemd, with the flags
 * in DESIGN.md, in the dir test/global-docker-engine.ts provides (shared by every test
 * file of the run; stopped by pid at the end). Where neither is possible the tests skip
 * and say why:
 *
 *   const engine = await dockerEngineForTests();
 *   describe.skipIf(!engine.ok)(`docker lab${skipNote(engine)}`, () => { ... });
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inject } from "vitest";
import { connectEngine } from "../../src/lab/docker/engine.js";
import { searchPath } from "../../src/lab/redis-binary.js";

export type TestEngine = { ok: true; host: string; ours: boolean } | { ok: false; reason: string };

const START_TIMEOUT_MS = 30_000;

async function answers(): Promise<boolean> {
  try {
    await connectEngine();
    return true;
  } catch {
    return false;
  }
}

/** Starts dockerd in `dir` unless another test file of this run already did (mkdir is the lock). */
function startDockerd(dir: string, dockerd: string): void {
  try {
    mkdirSync(join(dir, "lock"));
  } catch {
    return; // another worker is starting (or started) it
  }
  const out = openSync(join(dir, "dockerd.log"), "a");
  const child = spawn(
    dockerd,
    [
      "--data-root", join(dir, "data"),
      "--exec-root", join(dir, "exec"),
      "-H", `unix://${join(dir, "docker.sock")}`,
      "--pidfile", join(dir, "docker.pid"),
      "--iptables=false",
      "--bridge=none",
      "--storage-driver=vfs",
    ],
    { detached: true, stdio: ["ignore", out, out] },
  );
  closeSync(out);
  child.unref();
  // Teardown stops this pid; dockerd's own pidfile appears only once it is up.
  writeFileSync(join(dir, "dockerd.pid"), String(child.pid));
}

let cached: Promise<TestEngine> | undefined;

async function find(): Promise<TestEngine> {
  if (await answers()) return { ok: true, host: process.env.DOCKER_HOST ?? "default socket", ours: false };
  if (process.env.DOCKER_HOST) return { ok: false, reason: `DOCKER_HOST=${process.env.DOCKER_HOST} does not answer` };
  const dockerd = searchPath("dockerd", [process.env.PATH ?? "", "/usr/sbin", "/sbin"].join(":"));
  if (!dockerd) return { ok: false, reason: "no Docker engine answers and dockerd is not installed (run 'npm run setup' as root, or apt-get install docker.io)" };
  if (process.getuid?.() !== 0) return { ok: false, reason: "no Docker engine answers and starting dockerd needs root" };
  const dir = inject("dockerEngineDir");
  startDockerd(dir, dockerd);
  process.env.DOCKER_HOST = `unix://${join(dir, "docker.sock")}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (existsSync(join(dir, "docker.sock")) && (await answers())) return { ok: true, host: process.env.DOCKER_HOST, ours: true };
    await sleep(100);
  }
  delete process.env.DOCKER_HOST;
  return { ok: false, reason: `dockerd did not answer within ${START_TIMEOUT_MS} ms (see ${join(dir, "dockerd.log")})` };
}

/** The engine this test file uses (sets DOCKER_HOST for it and its child processes). */
export function dockerEngineForTests(): Promise<TestEngine> {
  cached ??= find().then((engine) => {
    if (!engine.ok) process.stderr.write(`docker tests skipped: ${engine.reason}\n`);
    return engine;
  });
  return cached;
}

/** " (skipped: why)" for a describe title when there is no engine; "" when there is. */
export function skipNote(engine: TestEngine): string {
  return engine.ok ? "" : ` (skipped: ${engine.reason})`;
}
