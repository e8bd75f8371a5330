/**
 * The local lab backend, the embedded default: one redis-server process per node, data
 * in a temp dir, nodes on their own loopback addresses. Needs only redis-server.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatAddress } from "../redis/address.js";
import { answeringStatus, statusBase } from "./node-status.js";
import { downLocal, sweepLocal } from "./local-down.js";
import { writeMarker } from "./marker.js";
import { isNodeProcess, startNode, stopNode } from "./node-process.js";
import { PortAllocator } from "./ports.js";
import { findRedisServer } from "./redis-binary.js";
import { renderSentinelConf } from "./sentinel-conf.js";
import { placeNodes, placeSentinels } from "./spec.js";
import type { DownReport, LabBackend, LabNode, LabNodeStatus, LabSentinel, LabSpec, LabState } from "./types.js";

export const TEMP_PREFIX = "redis-pilot-";

async function stopAll(nodes: LabNode[]): Promise<void> {
  const results = await Promise.allSettled(nodes.map((n) => (n.pid ? stopNode(n.pid, n.dir) : Promise.resolve(false))));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

export class LocalBackend implements LabBackend {
  async up(spec: LabSpec, progress?: (msg: string) => void): Promise<LabState> {
    const bin = findRedisServer();
    const dir = await mkdtemp(join(tmpdir(), `${TEMP_PREFIX}${spec.name}-`));
    // The proof lab down asks for before it deletes this dir (marker.ts).
    await writeMarker(dir, spec.name);
    const allocator = new PortAllocator();
    const placements = placeNodes(spec.nodes, spec.zones);
    // Probe in node order so ports read in node order; a probe costs well under a millisecond.
    const ports: number[] = [];
    for (const p of placements) ports.push(await allocator.next(p.host));
    // Every node starts at once; settle all before judging so none is left running unseen.
    const results = await Promise.allSettled(
      placements.map(async (p): Promise<LabNode> => {
        const nodeDir = join(dir, `node-${p.index}`);
        await mkdir(nodeDir, { mode: 0o700 });
        const { port, pid } = await startNode({
          bin,
          host: p.host,
          dir: nodeDir,
          port: ports[p.index],
          allocator,
          conf: { cluster: spec.cluster, nodeTimeoutMs: spec.nodeTimeoutMs, password: spec.password, extra: spec.config },
        });
        progress?.(`node ${p.index} up at ${formatAddress({ host: p.host, port })} (zone ${p.zone}, pid ${pid})`);
        return { ...p, port, pid, dir: nodeDir };
      }),
    );
    const nodes = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    let failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    let sentinels: LabSentinel[] = [];
    if (!failed && spec.sentinels) {
      const started = await Promise.allSettled(placeSentinels(spec.sentinels, spec.zones, placements).map((p) => startSentinel(bin, dir, p, allocator, spec.password, progress)));
      sentinels = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    }
    if (failed) {
      await stopAll([...nodes, ...sentinels]);
      await rm(dir, { recursive: true, force: true });
      throw failed.reason;
    }
    const { password, ...rest } = spec;
    return {
      name: spec.name,
      backend: "local",
      spec: { ...rest, passwordSet: password !== undefined },
      dir,
      createdAt: new Date().toISOString(),
      nodes,
      ...(sentinels.length ? { sentinels } : {}),
      ...(password !== undefined ? { password } : {}),
    };
  }

  down(state: LabState): Promise<DownReport> {
    return downLocal(state.name, state.dir, [...state.nodes, ...(state.sentinels ?? [])]);
  }

  sweep(lab: string, hints: string[]): Promise<DownReport> {
    return sweepLocal(lab, hints, TEMP_PREFIX);
  }

  async status(state: LabState): Promise<LabNodeStatus[]> {
    return Promise.all([...state.nodes, ...(state.sentinels ?? [])].map((n) => nodeStatus(n, state.password)));
  }
}

/** One redis-sentinel process (redis-server --sentinel, the same binary) in its own dir. */
async function startSentinel(bin: string, labDir: string, p: ReturnType<typeof placeSentinels>[number], allocator: PortAllocator, password: string | undefined, progress?: (msg: string) => void): Promise<LabSentinel> {
  const dir = join(labDir, `sentinel-${p.index}`);
  await mkdir(dir, { mode: 0o700 });
  const { port, pid } = await startNode({
    bin,
    host: p.host,
    dir,
    allocator,
    conf: { cluster: false, nodeTimeoutMs: 0, password },
    render: (port) => renderSentinelConf({ host: p.host, port, dir, logfile: join(dir, "redis.log"), password }),
    args: ["--sentinel"],
  });
  progress?.(`sentinel ${p.index} up at ${formatAddress({ host: p.host, port })} (zone ${p.zone}, pid ${pid})`);
  return { ...p, port, pid, dir };
}

async function nodeStatus(node: LabNode, password: string | undefined): Promise<LabNodeStatus> {
  if (node.pid === undefined || !isNodeProcess(node.pid, node.dir)) {
    return { ...statusBase(node), running: false, error: `process ${node.pid ?? "?"} is not running` };
  }
  return answeringStatus(node, password, `process ${node.pid}`);
}
