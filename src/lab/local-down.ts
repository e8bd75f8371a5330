/**
 * Lab down for the local backend, honest per node: each node is stopped by its own pid
 * (the recorded one when it still is that node's process, else the process started
 * with that node's conf file), and then counted as down only if nothing answers at its
 * address any more. The data dir goes only when every node is down and the dir carries
 * this lab's marker. sweep() does the same for a lab whose state file is unreadable,
 * from the processes and dirs that still prove they are that lab's.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { errorMessage } from "../errors.js";
import { formatAddress } from "../redis/address.js";
import { isLabDir } from "./marker.js";
import { findNodePids, isNodeProcess, stopNode } from "./node-process.js";
import type { DownReport, LabNode, NodeStopResult } from "./types.js";

const LISTEN_PROBE_MS = 300;

/** True when something accepts a TCP connection at host:port. */
export function listening(host: string, port: number, timeoutMs = LISTEN_PROBE_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (v: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

/**
 * How one node ended: `acted` says the backend stopped it (detail names what); then it
 * counts as down only if nothing answers at its address any more.
 */
export async function reportDown(node: Pick<LabNode, "host" | "port" | "pid" | "containerId">, acted: boolean, what: string, staleNote?: string): Promise<NodeStopResult> {
  const address = formatAddress(node);
  const ids = { ...(node.pid !== undefined ? { pid: node.pid } : {}), ...(node.containerId ? { containerId: node.containerId } : {}) };
  if (await listening(node.host, node.port)) {
    return { address, ...ids, outcome: "not_stopped", detail: `a server still answers at ${address}; ${staleNote ?? `${what} was stopped but something else listens there`}` };
  }
  return acted ? { address, ...ids, outcome: "stopped", detail: `${what} stopped` } : { address, ...ids, outcome: "not_running", detail: "was not running" };
}

async function stopOne(node: Pick<LabNode, "host" | "port" | "pid" | "dir">): Promise<NodeStopResult> {
  const recordedIsNode = node.pid !== undefined && isNodeProcess(node.pid, node.dir);
  const pids = recordedIsNode ? [node.pid!] : (await findNodePids(node.dir)).map((p) => p.pid);
  let stopped: number | undefined;
  try {
    for (const pid of pids) if (await stopNode(pid, node.dir)) stopped = pid;
  } catch (err) {
    return { address: formatAddress(node), pid: pids[0], outcome: "not_stopped", detail: errorMessage(err).replace(/\.$/, "") };
  }
  const stale =
    node.pid !== undefined && !recordedIsNode
      ? `pid ${node.pid} recorded for it is not this node's process, so it was left alone`
      : stopped === undefined
        ? "no process of this lab's node was found"
        : undefined;
  const what = stopped === undefined ? "" : stopped === node.pid ? `pid ${stopped}` : `pid ${stopped} (found by its config file; pid ${node.pid ?? "?"} was recorded)`;
  const r = await reportDown({ ...node, pid: stopped ?? node.pid }, stopped !== undefined, what, stopped === undefined ? stale : undefined);
  return r;
}

/** Removes dir only when every node is down and its marker names this lab; says why not otherwise. */
export async function removeLabDir(dir: string, lab: string, nodes: NodeStopResult[]): Promise<Pick<DownReport, "dirRemoved" | "dirNote">> {
  if (nodes.some((n) => n.outcome === "not_stopped")) return { dirRemoved: false, dirNote: `${dir} kept: a node still runs` };
  if (!(await isLabDir(dir, lab))) return { dirRemoved: false, dirNote: `${dir} kept: it has no marker of lab ${lab}, so this lab did not create it` };
  await rm(dir, { recursive: true, force: true });
  return { dirRemoved: true };
}

export async function downLocal(lab: string, dir: string, nodes: LabNode[]): Promise<DownReport> {
  const results = await Promise.all(nodes.map(stopOne));
  return { nodes: results, ...(await removeLabDir(dir, lab, results)) };
}

/** host and port from a node's redis.conf (bind, port), for naming what a sweep stopped. */
async function confAddress(conf: string): Promise<{ host: string; port: number }> {
  const text = await readFile(conf, "utf8").catch(() => "");
  const host = /^bind\s+(\S+)/m.exec(text)?.[1] ?? "127.0.0.1";
  const port = Number(/^port\s+(\d+)/m.exec(text)?.[1] ?? 0);
  return { host, port };
}

/**
 * Candidate lab dirs: the paths the broken file names (and their parents: node dirs sit
 * one level down) and the temp dirs named for this lab, each kept only if its marker
 * names this lab in this home.
 */
export async function sweepLocal(lab: string, hints: string[], tempPrefix: string): Promise<DownReport> {
  const named = (await readdir(tmpdir()).catch(() => [] as string[])).filter((n) => n.startsWith(`${tempPrefix}${lab}-`)).map((n) => join(tmpdir(), n));
  const candidates = [...new Set([...hints.flatMap((h) => [h, dirname(h)]), ...named])];
  const dirs: string[] = [];
  for (const d of candidates) if (await isLabDir(d, lab)) dirs.push(d);
  const results: NodeStopResult[] = [];
  for (const dir of dirs) {
    for (const { pid, conf } of await findNodePids(dir)) {
      const node = { ...(await confAddress(conf)), pid, dir: dirname(conf) };
      results.push(await stopOne(node));
    }
  }
  const removed = await Promise.all(dirs.map((d) => removeLabDir(d, lab, results)));
  const kept = removed.filter((r) => !r.dirRemoved);
  return {
    nodes: results,
    dirRemoved: dirs.length > 0 && kept.length === 0,
    ...(kept.length ? { dirNote: kept.map((k) => k.dirNote).join("; ") } : dirs.length === 0 ? { dirNote: "no data dir of this lab was found" } : {}),
  };
}
