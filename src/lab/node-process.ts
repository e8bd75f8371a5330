/**
 * One redis-server process of a local lab: start it detached (so the lab outlives the
 * process that started it), wait until it answers, retry on another port when the one we
 * probed was taken in the meantime, and stop it by its own pid, never by name.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LabError, TimeoutError } from "../errors.js";
import { parseInfo } from "../redis/parse-info.js";
import { probeInfo, type ProbeResult } from "./node-probe.js";
import { renderRedisConf, type NodeConf } from "./redis-conf.js";

const POLL_MS = 10;
const PROBE_TIMEOUT_MS = 200;
const BIND_ATTEMPTS = 5;

/** Where a node's ports come from: a PortAllocator, or in tests any sequence. */
export interface PortSource {
  next(host: string): Promise<number>;
}

export interface StartNodeOptions {
  bin: string;
  host: string;
  dir: string;
  /** Port for the first attempt (else one from the allocator); retries always ask the allocator. */
  port?: number;
  allocator: PortSource;
  conf: Omit<NodeConf, "host" | "port" | "dir" | "logfile">;
  /** How long one node may take to answer, per attempt. */
  readyTimeoutMs?: number;
  /** Writes the config file instead of renderRedisConf (a sentinel's), given the port of this attempt. */
  render?: (port: number) => string;
  /** Extra arguments after the config file, e.g. ["--sentinel"]. */
  args?: string[];
}

export const confPath = (nodeDir: string): string => join(nodeDir, "redis.conf");

/** Last lines of the node's logs: what redis-server said before it exited. */
export function logTail(nodeDir: string, lines = 5): string {
  const read = (f: string) => {
    try {
      return readFileSync(join(nodeDir, f), "utf8");
    } catch {
      return "";
    }
  };
  return (read("redis.log") + read("stdout.log")).trim().split("\n").slice(-lines).join("\n");
}

/** The pid of the server that answered, if the reply was an INFO we can read. */
function answeringPid(reply: ProbeResult | undefined): string | undefined {
  if (!reply || !("info" in reply)) return undefined;
  try {
    return parseInfo(reply.info).server?.values.process_id;
  } catch {
    return undefined;
  }
}

type Outcome = { kind: "ready" } | { kind: "exited"; log: string } | { kind: "timeout" };

async function waitReady(child: ChildProcess, host: string, port: number, password: string | undefined, nodeDir: string, timeoutMs: number): Promise<Outcome> {
  let exited = child.exitCode !== null || child.signalCode !== null;
  const onExit = () => (exited = true);
  child.once("exit", onExit);
  child.once("error", onExit);
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited) return { kind: "exited", log: logTail(nodeDir) };
      const reply = await probeInfo(host, port, password, PROBE_TIMEOUT_MS);
      // Only our own process counts: another server may briefly hold the port we probed.
      if (answeringPid(reply) === String(child.pid)) return { kind: "ready" };
      await sleep(POLL_MS);
    }
    return { kind: "timeout" };
  } finally {
    child.off("exit", onExit);
    child.off("error", onExit);
  }
}

function spawnDetached(bin: string, nodeDir: string, args: string[] = []): ChildProcess {
  const out = openSync(join(nodeDir, "stdout.log"), "w");
  try {
    const child = spawn(bin, [confPath(nodeDir), ...args], { cwd: nodeDir, detached: true, stdio: ["ignore", out, out] });
    child.unref();
    return child;
  } finally {
    closeSync(out);
  }
}

/**
 * Writes the node's config for this port (redis.conf, or what `render` gives, e.g. a
 * sentinel's); a failed attempt's log and a redis node's nodes.conf (with the old port) go.
 */
export async function prepareNodeDir(dir: string, host: string, port: number, conf: StartNodeOptions["conf"], render?: (port: number) => string): Promise<void> {
  if (!render) await rm(join(dir, "nodes.conf"), { force: true });
  await writeFile(join(dir, "redis.log"), "");
  const text = render ? render(port) : renderRedisConf({ ...conf, host, port, dir, logfile: join(dir, "redis.log") });
  await writeFile(confPath(dir), text, { mode: 0o600 });
}

/** Starts one node and resolves once it answers INFO as itself. */
export async function startNode(o: StartNodeOptions): Promise<{ port: number; pid: number }> {
  for (let attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
    const port = attempt === 1 && o.port !== undefined ? o.port : await o.allocator.next(o.host);
    await prepareNodeDir(o.dir, o.host, port, o.conf, o.render);
    const child = spawnDetached(o.bin, o.dir, o.args);
    const outcome = await waitReady(child, o.host, port, o.conf.password, o.dir, o.readyTimeoutMs ?? 10_000);
    if (outcome.kind === "ready") return { port, pid: child.pid! };
    if (outcome.kind === "timeout") {
      if (child.pid) await stopNode(child.pid, o.dir);
      throw new TimeoutError(`redis-server on ${o.host}:${port} answering`, o.readyTimeoutMs ?? 10_000);
    }
    // Someone took the port between our probe and redis-server's bind: try the next one.
    if (/Address already in use/i.test(outcome.log)) continue;
    throw new LabError(`redis-server on ${o.host}:${port} exited at start: ${outcome.log.replace(/\s*\n\s*/g, " | ") || "no log output"}.`, "Fix what redis-server's log names (often an extra config directive) and retry.");
  }
  throw new LabError(`Could not bind a free port on ${o.host} after ${BIND_ATTEMPTS} attempts.`, "Other processes are taking ports in this range; retry, or stop labs you no longer need.");
}

/**
 * Starts a node that was stopped or killed again from its own conf file: same port, same
 * nodes.conf, so a cluster node rejoins as itself. Resolves with the new pid once it answers.
 */
export async function respawnNode(bin: string, host: string, port: number, dir: string, password: string | undefined, args: string[] = [], readyTimeoutMs = 10_000): Promise<number> {
  const child = spawnDetached(bin, dir, args);
  const outcome = await waitReady(child, host, port, password, dir, readyTimeoutMs);
  if (outcome.kind === "ready") return child.pid!;
  if (outcome.kind === "timeout") {
    if (child.pid) await stopNode(child.pid, dir);
    throw new TimeoutError(`redis-server on ${host}:${port} answering after its restart`, readyTimeoutMs);
  }
  throw new LabError(
    `redis-server on ${host}:${port} exited at restart: ${outcome.log.replace(/\s*\n\s*/g, " | ") || "no log output"}.`,
    /Address already in use/i.test(outcome.log) ? `Another process took port ${port} while the node was down; stop it and start the node again.` : "Fix what redis-server's log names and start the node again.",
  );
}

/** True when pid is still the redis-server started with this node's conf file (not a reused pid). */
export function isNodeProcess(pid: number, nodeDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(confPath(nodeDir));
  } catch {
    return false;
  }
}

/**
 * The pids of processes started with a conf file under `dir` (a node dir, or a lab dir
 * for all its nodes), found by their command line in /proc: how lab down finds a node
 * whose recorded pid is stale. Empty where /proc is not readable.
 */
export async function findNodePids(dir: string): Promise<{ pid: number; conf: string }[]> {
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  let entries: string[];
  try {
    entries = (await readdir("/proc")).filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const found = await Promise.all(
    entries.map(async (e) => {
      // redis-server rewrites its title ("{title} {listen-addr} ... {config-file}", redis-conf.ts): search the whole line.
      const line = (await readFile(`/proc/${e}/cmdline`, "utf8").catch(() => "")).replace(/\0/g, " ");
      // The template puts the config file last; a line that merely mentions the path is not a node.
      // (A sentinel, before it sets its title, ends with --sentinel.)
      const conf = /(\S+\/redis\.conf)(?:\s+--sentinel)?\s*$/.exec(line)?.[1];
      if (!conf?.startsWith(prefix)) return undefined;
      return Number(e) !== process.pid ? { pid: Number(e), conf } : undefined;
    }),
  );
  return found.filter((f): f is { pid: number; conf: string } => f !== undefined);
}

async function waitGone(pid: number, nodeDir: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isNodeProcess(pid, nodeDir)) {
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone between the check and the signal.
  }
}

/**
 * Stops the node by pid: SIGTERM (plus SIGCONT, so a node paused by a drill can act on
 * it), then SIGKILL after the timeout. Returns false when the pid was no longer this node.
 */
export async function stopNode(pid: number, nodeDir: string, termTimeoutMs = 5000): Promise<boolean> {
  if (!isNodeProcess(pid, nodeDir)) return false;
  signal(pid, "SIGTERM");
  signal(pid, "SIGCONT");
  if (await waitGone(pid, nodeDir, termTimeoutMs)) return true;
  if (isNodeProcess(pid, nodeDir)) signal(pid, "SIGKILL");
  if (!(await waitGone(pid, nodeDir, 2000))) throw new LabError(`redis-server pid ${pid} did not exit after SIGKILL.`, `Check 'ps -p ${pid}'.`);
  return true;
}
