/**
 * cluster del-node: remove one node. A master that holds slots is refused unless
 * drain, which first spreads its slots over the other masters by weight (a full,
 * journaled, verified migration). Its replicas then move to the remaining masters
 * (placement as add-node chooses), every other node FORGETs it at once (within the 60 s
 * ban, so gossip cannot bring it back), and it is reset (soft unless told otherwise) and shut down only if asked.
 * Returns when no remaining node knows it and the cluster checks clean.
 */
import type { Finding } from "../../checks/finding.js";
import { PilotError, TimeoutError, ValidationError, VerificationFailedError, errorMessage } from "../../errors.js";
import { NodePool } from "../../redis/connection.js";
import { argRef, toolRef } from "../../registry/words.js";
import { countSlots } from "../../redis/slots.js";
import { readClusterView } from "../../topology/read-cluster-view.js";
import type { OpContext } from "../progress.js";
import { placeReplica } from "../add-node/placement.js";
import { findNode, type ClusterMap, type MapNode } from "../migrate/cluster-map.js";
import type { EngineOptions } from "../migrate/engine.js";
import type { MigrationResult } from "../migrate/run-migration.js";
import { settledFindings, stableSnapshot, type ClusterTarget } from "../migrate/session.js";
import { drain } from "../migrate/verbs.js";

export interface DelNodeRequest extends ClusterTarget {
  node: string;
  drain?: boolean;
  weights?: Record<string, number>;
  reset?: "soft" | "hard" | "none";
  shutdown?: boolean;
  journalDir: string;
  engine?: EngineOptions;
  dryRun?: boolean;
  /** @default 30000 */
  timeoutMs?: number;
}

export interface DelNodeResult {
  applied: boolean;
  removed: { id: string; address: string; role: "master" | "replica"; slots: number };
  drain?: MigrationResult;
  replicasMoved: { address: string; to: string; reason: string }[];
  forgottenBy: string[];
  reset?: string;
  shutdown: boolean;
  warnings: string[];
  timings: { drainMs: number; forgetMs: number; totalMs: number };
  findings: Finding[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function replicaMoves(map: ClusterMap, victim: MapNode): { replica: MapNode; to: MapNode; reason: string; warning?: string }[] {
  const rest: ClusterMap = { ...map, nodes: map.nodes.filter((n) => n.id !== victim.id) };
  return map.nodes
    .filter((n) => n.masterId === victim.id)
    .map((replica) => {
      const p = placeReplica(rest, { host: replica.host, zone: replica.zone });
      if (!p) throw new ValidationError(`${victim.address} has replicas and no other master has slots to take them.`, "Add a master first, or remove the replicas first.");
      // The next replica counts this one, so replicas spread too.
      rest.nodes = rest.nodes.map((n) => (n.id === replica.id ? { ...n, masterId: p.master.id } : n));
      return { replica, to: p.master, reason: p.reason, ...(p.warning ? { warning: p.warning } : {}) };
    });
}

export async function delNode(req: DelNodeRequest, ctx: OpContext): Promise<DelNodeResult> {
  const t0 = Date.now();
  const pool = new NodePool(req.access);
  try {
    let snap = await stableSnapshot(pool, req);
    const victim = findNode(snap.map, req.node, "node to remove");
    const slots = countSlots(victim.slots);
    if (victim.role === "master" && slots > 0 && !req.drain) {
      throw new ValidationError(`${victim.address} (${victim.id.slice(0, 8)}) is a master holding ${slots} slot(s); removing it would lose them.`, `Pass ${argRef("drain", "true", "cluster_del_node")} to move its slots to the other masters first (or move them with ${toolRef("cluster_reshard")}).`);
    }
    const others = snap.map.nodes.filter((n) => n.id !== victim.id);
    if (others.length === 0) throw new ValidationError(`${victim.address} is the only node of the cluster.`, "There is nothing to remove it from.");
    const seeds = others.map((n) => n.address);
    let drained: MigrationResult | undefined;
    const td = Date.now();
    if (victim.role === "master" && slots > 0) {
      drained = await drain({ addresses: req.addresses, access: req.access, zones: req.zones, journalDir: req.journalDir, dryRun: req.dryRun, engine: req.engine, node: victim.id, weights: req.weights }, ctx);
      if (!req.dryRun) snap = await stableSnapshot(pool, { ...req, addresses: seeds });
    }
    const drainMs = Date.now() - td;
    const moves = replicaMoves(snap.map, victim);
    const warnings = moves.flatMap((m) => (m.warning ? [m.warning] : []));
    const base = {
      removed: { id: victim.id, address: victim.address, role: victim.role, slots },
      ...(drained ? { drain: drained } : {}),
      replicasMoved: moves.map((m) => ({ address: m.replica.address, to: m.to.address, reason: m.reason })),
      ...(req.reset !== "none" ? { reset: req.reset ?? "soft" } : {}),
      shutdown: req.shutdown ?? false,
      warnings,
    };
    if (req.dryRun) return { ...base, applied: false, forgottenBy: [], timings: { drainMs, forgetMs: 0, totalMs: Date.now() - t0 }, findings: [] };

    for (const m of moves) await (await pool.get(m.replica.address)).call("CLUSTER", "REPLICATE", m.to.id);
    // Every remaining node must have let go of it as a master before FORGET (a replica refuses to forget its master).
    const deadline = Date.now() + (req.timeoutMs ?? 30_000);
    while (moves.length) {
      const view = await readClusterView(seeds, { pool, zones: req.zones, discover: false });
      // Every node, not just the replica: a node FORGETting the old master while it still
      // sees the replica under it would keep a replica of an unknown master.
      if (moves.every((m) => view.nodes.every((n) => n.peers.find((p) => p.id === m.replica.id)?.masterId === m.to.id))) break;
      if (Date.now() > deadline) throw new TimeoutError(`Moving the replicas of ${victim.address}`, req.timeoutMs ?? 30_000);
      await sleep(10);
    }
    const tf = Date.now();
    const forgotten = await Promise.allSettled(others.map(async (n) => (await pool.get(n.address)).call("CLUSTER", "FORGET", victim.id)));
    const failed = forgotten.map((r, i) => [r, others[i]] as const).filter(([r]) => r.status === "rejected" && !/Unknown node/i.test(errorMessage((r as PromiseRejectedResult).reason)));
    if (failed.length) {
      const [r, n] = failed[0];
      throw new PilotError("forget_failed", `${n.address} refused CLUSTER FORGET ${victim.id.slice(0, 8)}: ${errorMessage((r as PromiseRejectedResult).reason)}.`, `Run CLUSTER FORGET ${victim.id} on every node within 60 s of each other, then ${toolRef("cluster_check")}.`);
    }
    // Reset / shutdown only when asked; the node still answers until then.
    const victimClient = await pool.get(victim.address);
    // Default soft: a removed node that still lists the cluster keeps claiming membership (and a lab's check would count it).
    const reset = req.reset ?? "soft";
    if (reset !== "none") await victimClient.call("CLUSTER", "RESET", reset.toUpperCase()).catch((err: unknown) => {
      if (req.reset) throw err;
    });
    if (req.shutdown) await victimClient.call("SHUTDOWN", "NOSAVE").catch(() => undefined);
    if (req.shutdown) pool.forget(victim.address);
    for (;;) {
      const view = await readClusterView(seeds, { pool, zones: req.zones, discover: false });
      const still = view.nodes.filter((n) => n.peers.some((p) => p.id === victim.id));
      if (still.length === 0) break;
      if (Date.now() > deadline) throw new TimeoutError(`${still.map((n) => n.address).join(", ")} forgetting ${victim.address}`, req.timeoutMs ?? 30_000);
      await sleep(10);
    }
    const forgetMs = Date.now() - tf;
    // Moved replicas start a full sync with their new master: wait for their links too.
    const { view, findings } = await settledFindings(pool, { ...req, addresses: seeds }, deadline);
    if (view.nodes.some((n) => n.self.id === victim.id) || findings.some((f) => f.severity === "error")) {
      const first = findings.find((f) => f.severity === "error");
      throw new VerificationFailedError(`${victim.address} was removed but the cluster did not verify: ${first?.message ?? "it is still a member"}`, findings);
    }
    return { ...base, applied: true, forgottenBy: others.map((n) => n.address), timings: { drainMs, forgetMs, totalMs: Date.now() - t0 }, findings };
  } finally {
    await pool.close();
  }
}
