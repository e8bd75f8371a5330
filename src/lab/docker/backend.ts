/**
 * The docker lab backend: one container per node on a Docker engine, placed, configured
 * and addressed exactly as the local backend does it (same zones, same 127.0.Z.H hosts,
 * same redis.conf), so every tool that takes `lab` works on either.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import type Dockerode from "dockerode";
import { formatAddress } from "../../redis/address.js";
import { log } from "../../log.js";
import { TEMP_PREFIX } from "../local.js";
import { removeLabDir, reportDown } from "../local-down.js";
import { writeMarker } from "../marker.js";
import { answeringStatus, statusBase } from "../node-status.js";
import { PortAllocator } from "../ports.js";
import { renderSentinelConf } from "../sentinel-conf.js";
import { placeNodes, placeSentinels, type NodePlacement } from "../spec.js";
import { labStateDir } from "../store.js";
import type { DownReport, LabBackend, LabNode, LabNodeStatus, LabSentinel, LabSpec, LabState } from "../types.js";
import { removeContainers, startNodeContainer } from "./container.js";
import { connectEngine } from "./engine.js";
import { ensureImage } from "./image.js";
import { hostFilter, labFilter, LABEL_NODE, nodeLabels, orphanIds, type LabelContext } from "./labels.js";

export function labelContext(name: string): LabelContext {
  return { lab: name, key: labStateDir(name), hostname: hostname() };
}

/** Ids of every container labelled with this lab's key, running or not. */
export async function labContainerIds(docker: Dockerode, name: string): Promise<Array<{ id: string; node: number; state: string }>> {
  const list = await docker.listContainers({ all: true, filters: labFilter(labStateDir(name)) });
  return list.map((c) => ({ id: c.Id, node: Number(c.Labels?.[LABEL_NODE]), state: c.State }));
}

/**
 * Removes what crashed runs left behind: this host's lab containers whose lab state dir is
 * gone, and any container still carrying this lab's key (the name was free, so none of
 * them belongs to a live lab). Returns how many were removed.
 */
export async function sweepLeftovers(docker: Dockerode, name: string): Promise<number> {
  const own = (await labContainerIds(docker, name)).map((c) => c.id);
  const mine = await docker.listContainers({ all: true, filters: hostFilter(hostname()) });
  const ids = [...new Set([...own, ...orphanIds(mine, hostname(), existsSync)])];
  if (ids.length) {
    log.info({ containers: ids.length }, "removing containers left by earlier lab runs");
    await removeContainers(docker, ids);
  }
  return ids.length;
}

export class DockerBackend implements LabBackend {
  async up(spec: LabSpec, progress?: (msg: string) => void): Promise<LabState> {
    const docker = await connectEngine();
    const swept = await sweepLeftovers(docker, spec.name);
    if (swept) progress?.(`removed ${swept} container(s) left by earlier runs`);
    const image = await ensureImage(docker, spec.image);
    progress?.(`image ${image.ref} (${image.source}${image.source === "built" ? ` in ${image.elapsedMs} ms` : ""})`);
    const labels = labelContext(spec.name);
    const dir = await mkdtemp(join(tmpdir(), `${TEMP_PREFIX}${spec.name}-`));
    await writeMarker(dir, spec.name);
    const allocator = new PortAllocator();
    const placements = placeNodes(spec.nodes, spec.zones);
    const ports: number[] = [];
    for (const p of placements) ports.push(await allocator.next(p.host));
    const results = await Promise.allSettled(
      placements.map(async (p): Promise<LabNode> => {
        const nodeDir = join(dir, `node-${p.index}`);
        await mkdir(nodeDir, { mode: 0o700 });
        const { port, containerId } = await startNodeContainer(docker, {
          image: image.ref,
          labels: nodeLabels(labels, p.index, "redis"),
          host: p.host,
          dir: nodeDir,
          port: ports[p.index],
          allocator,
          conf: { cluster: spec.cluster, nodeTimeoutMs: spec.nodeTimeoutMs, password: spec.password, extra: spec.config },
        });
        progress?.(`node ${p.index} up at ${formatAddress({ host: p.host, port })} (zone ${p.zone}, container ${containerId.slice(0, 12)})`);
        return { ...p, port, containerId, dir: nodeDir };
      }),
    );
    let failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    let sentinels: LabSentinel[] = [];
    if (!failed && spec.sentinels) {
      const started = await Promise.allSettled(
        placeSentinels(spec.sentinels, spec.zones, placements).map((p) => startSentinelContainer(docker, image.ref, labels, dir, p, allocator, spec.password, progress)),
      );
      sentinels = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    }
    if (failed) {
      // By label, so a container whose start failed half-way goes too.
      await removeContainers(docker, (await labContainerIds(docker, spec.name)).map((c) => c.id));
      await rm(dir, { recursive: true, force: true });
      throw failed.reason;
    }
    const nodes = results.map((r) => (r as PromiseFulfilledResult<LabNode>).value);
    const { password, ...rest } = spec;
    return {
      name: spec.name,
      backend: "docker",
      spec: { ...rest, image: image.ref, passwordSet: password !== undefined },
      dir,
      createdAt: new Date().toISOString(),
      nodes,
      ...(sentinels.length ? { sentinels } : {}),
      ...(password !== undefined ? { password } : {}),
    };
  }

  /**
   * Removes every container labelled with the lab (not only those in the state), then
   * reports each node (down only when nothing answers at its address) and removes the
   * data dir when every node is down and the dir carries the lab's marker.
   */
  async down(state: LabState): Promise<DownReport> {
    const docker = await connectEngine();
    const labelled = await labContainerIds(docker, state.name);
    const members = [...state.nodes, ...(state.sentinels ?? [])];
    const ids = new Set([...labelled.map((c) => c.id), ...members.flatMap((n) => (n.containerId ? [n.containerId] : []))]);
    await removeContainers(docker, [...ids]);
    const existed = new Set(labelled.filter((c) => c.state !== "exited" && c.state !== "dead").map((c) => c.id));
    const nodes = await Promise.all(
      members.map((n) => reportDown(n, n.containerId !== undefined && existed.has(n.containerId), `container ${n.containerId?.slice(0, 12) ?? "?"}`)),
    );
    return { nodes, ...(await removeLabDir(state.dir, state.name, nodes)) };
  }

  /** A lab whose state is broken: its containers are found by their label, its dirs by marker. */
  async sweep(lab: string, hints: string[]): Promise<DownReport> {
    const docker = await connectEngine();
    const ids = (await labContainerIds(docker, lab)).map((c) => c.id);
    await removeContainers(docker, ids);
    const dirs = [...new Set(hints)];
    const removed = await Promise.all(dirs.map((d) => removeLabDir(d, lab, [])));
    return {
      nodes: ids.map((id) => ({ address: "?", containerId: id, outcome: "stopped" as const, detail: `container ${id.slice(0, 12)} removed` })),
      dirRemoved: removed.some((r) => r.dirRemoved),
    };
  }

  async status(state: LabState): Promise<LabNodeStatus[]> {
    const docker = await connectEngine();
    const containers = new Map((await labContainerIds(docker, state.name)).map((c) => [c.id, c]));
    return Promise.all(
      [...state.nodes, ...(state.sentinels ?? [])].map(async (node) => {
        const c = node.containerId ? containers.get(node.containerId) : undefined;
        const short = node.containerId?.slice(0, 12) ?? "?";
        if (!c) return { ...statusBase(node), running: false, error: `container ${short} is gone` };
        if (c.state === "paused") return { ...statusBase(node), running: false, error: `container ${short} is paused` };
        if (c.state !== "running") return { ...statusBase(node), running: false, error: `container ${short} is ${c.state}` };
        return answeringStatus(node, state.password, `container ${short}`);
      }),
    );
  }
}

/** One sentinel container (redis-server --sentinel, the same image) with its own dir and conf. */
async function startSentinelContainer(
  docker: Dockerode,
  image: string,
  labels: LabelContext,
  labDir: string,
  p: NodePlacement,
  allocator: PortAllocator,
  password: string | undefined,
  progress?: (msg: string) => void,
): Promise<LabSentinel> {
  const dir = join(labDir, `sentinel-${p.index}`);
  await mkdir(dir, { mode: 0o700 });
  const { port, containerId } = await startNodeContainer(docker, {
    image,
    labels: nodeLabels(labels, p.index, "sentinel"),
    host: p.host,
    dir,
    allocator,
    conf: { cluster: false, nodeTimeoutMs: 0, password },
    extraArgs: ["--sentinel"],
    render: (port) => renderSentinelConf({ host: p.host, port, dir, logfile: join(dir, "redis.log"), password }),
  });
  progress?.(`sentinel ${p.index} up at ${formatAddress({ host: p.host, port })} (zone ${p.zone}, container ${containerId.slice(0, 12)})`);
  return { ...p, port, containerId, dir };
}
