/**
 * Checks over a ReplicationView: links, lag, who replicates from whom (unknown masters,
 * chains, loops), masters without replicas, and the settings that decide what a
 * failover or a restart loses. Pure: view in, findings out.
 */
import { formatAddress } from "../redis/address.js";
import type { ReplicationNode, ReplicationView } from "../topology/replication-view.js";
import { nodeAt, replicaEntry } from "../topology/replication-view.js";
import type { ReplicationInfo } from "../topology/types.js";
import type { Finding } from "./finding.js";
import { callRef, toolRef } from "../registry/words.js";

export interface ReplicationCheckOptions {
  /** @default 1 MiB */
  maxLagBytes?: number;
  /** Seconds since a replica's last ack, as its master reports it. @default 10 */
  maxLagSeconds?: number;
  /** Wanted replicas per master; fewer is an error. */
  replicasPerMaster?: number;
}

const mib = (b: number) => (b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MiB` : `${b} bytes`);
const masterAddress = (n: ReplicationNode) => formatAddress({ host: n.replication.masterHost ?? "?", port: n.replication.masterPort ?? 0 });

/** Replica and its master's entry for it (the master's own view of the replica's offset and lag). */
function linkOf(view: ReplicationView, replica: ReplicationNode): { master?: ReplicationNode; offset?: number; lag?: number } {
  const master = nodeAt(view, replica.replication.masterHost, replica.replication.masterPort);
  if (!master) return {};
  const line = replicaEntry(master, replica);
  return { master, offset: line?.offset, lag: line?.lag };
}

export function checkLinks(view: ReplicationView, o: ReplicationCheckOptions = {}): Finding[] {
  const maxBytes = o.maxLagBytes ?? 1024 * 1024;
  const maxSeconds = o.maxLagSeconds ?? 10;
  const out: Finding[] = [];
  for (const n of view.nodes) {
    const r = n.replication;
    if (r.role !== "replica") continue;
    const m = masterAddress(n);
    if (r.masterLinkStatus !== "up") {
      const since = n.linkDownSinceSeconds !== undefined && n.linkDownSinceSeconds < 1e9 ? ` for ${n.linkDownSinceSeconds} s` : "";
      out.push({
        severity: "error",
        code: "replica_link_down",
        message: `Replica ${n.address}: link to master ${m} is down${since}${r.masterSyncInProgress ? " (full sync in progress)" : ""}.`,
        next: "Check that the master runs and is reachable from the replica and that masterauth matches; a full sync of a large dataset takes a while.",
        node: n.address,
      });
      continue;
    }
    const { master, offset, lag } = linkOf(view, n);
    if (!master || master.replication.role !== "master") continue;
    const behind = master.replication.offset - (offset ?? r.offset);
    if (behind > maxBytes) {
      out.push({ severity: "warning", code: "replica_lagging", message: `Replica ${n.address} is ${mib(behind)} behind its master ${master.address} (limit ${mib(maxBytes)}).`, next: "Check the replica's load and the network; a lagging replica loses more acknowledged writes in a failover and serves staler reads.", node: n.address });
    } else if (lag !== undefined && lag > maxSeconds) {
      out.push({ severity: "warning", code: "replica_lagging", message: `Replica ${n.address} last acknowledged its master ${master.address} ${lag} s ago (limit ${maxSeconds} s).`, next: "Check the replica's load and the network between them.", node: n.address });
    }
  }
  return out;
}

/** Replicas whose master is unreachable or itself a replica (a chain), and loops. */
export function checkTopology(view: ReplicationView): Finding[] {
  const out: Finding[] = view.unreachable.map((u) => ({
    severity: "error" as const,
    code: "node_unreachable",
    message: `${u.address} could not be read: ${u.error}`,
    next: `Check that ${u.address} runs and accepts these credentials; if a replica still names it as master, repoint that replica.`,
    node: u.address,
  }));
  for (const n of view.nodes) {
    if (n.replication.role !== "replica") continue;
    const master = nodeAt(view, n.replication.masterHost, n.replication.masterPort);
    if (!master) {
      if (view.unreachable.some((u) => u.address === masterAddress(n))) continue;
      out.push({ severity: "error", code: "replica_unknown_master", message: `Replica ${n.address} replicates from ${masterAddress(n)}, which was not read.`, next: `Include that master in the read, or repoint the replica (${toolRef("replication_attach")}) to the master it should follow.`, node: n.address });
      continue;
    }
    if (master.replication.role !== "replica") continue;
    // Walk up the chain: back to n is a loop; otherwise report the chain once, at its bottom link.
    const seen = new Set([n.runId]);
    let up: ReplicationNode | undefined = master;
    while (up && up.replication.role === "replica" && !seen.has(up.runId)) {
      seen.add(up.runId);
      up = nodeAt(view, up.replication.masterHost, up.replication.masterPort);
    }
    if (up && seen.has(up.runId)) {
      out.push({ severity: "error", code: "replication_loop", message: `Replica ${n.address} is in a replication loop (its masters lead back to it): no node accepts writes.`, next: `Promote one node of the loop (REPLICAOF NO ONE, or ${toolRef("replication_promote")}) and point the others at it.`, node: n.address });
    } else {
      out.push({ severity: "warning", code: "replication_chain", message: `Replica ${n.address} replicates from ${master.address}, itself a replica: each hop adds lag.`, next: `Point ${n.address} at the top master directly unless the chain is deliberate (to offload a busy master).`, node: n.address });
    }
  }
  return out;
}

/** Masters without (enough) replicas, and settings that lose data. */
export function checkMasters(view: ReplicationView, o: ReplicationCheckOptions = {}): Finding[] {
  const out: Finding[] = [];
  for (const n of view.nodes) {
    if (n.replication.role !== "master") continue;
    const replicas = n.replication.connectedReplicas.filter((l) => l.state === "online");
    if (o.replicasPerMaster !== undefined && replicas.length < o.replicasPerMaster) {
      out.push({ severity: "error", code: "replicas_missing", message: `Master ${n.address} has ${replicas.length} of ${o.replicasPerMaster} wanted online replicas.`, next: `Attach replicas with ${callRef("replication_attach", { master: n.address })}.`, node: n.address });
    } else if (replicas.length === 0) {
      out.push({ severity: "warning", code: "master_without_replica", message: `Master ${n.address} has no online replica: losing it loses its data and its service.`, next: `Attach a replica with ${callRef("replication_attach", { master: n.address })}.`, node: n.address });
    }
    if (replicas.length > 0 && n.settings.minReplicasToWrite === 0) {
      out.push({ severity: "warning", code: "min_replicas_off", message: `Master ${n.address} has min-replicas-to-write 0: cut off from its replicas (a partition, a failover elsewhere) it keeps acknowledging writes that are then lost.`, next: "Set min-replicas-to-write 1 and min-replicas-max-lag 10 (CONFIG SET, and in redis.conf) to bound that loss; writes are refused when no replica is close.", node: n.address });
    }
    const local = localReplicas(view, n, replicas);
    const min = n.settings.minReplicasToWrite ?? 0;
    if (min > 0 && local.length >= min) {
      out.push({
        severity: "warning",
        code: "min_replicas_local",
        message: `Master ${n.address} has min-replicas-to-write ${min}, but ${local.length} of its replicas (${local.join(", ")}) share its zone ${n.zone}: cut off together with its zone it still has them and keeps acknowledging writes that are lost at the heal.`,
        next: `Set min-replicas-to-write to ${local.length + 1} (more than the replicas one zone holds besides the master) and keep at least that many replicas outside the master's zone, so a master elsewhere can still take writes.`,
        node: n.address,
      });
    }
    const noPersistence = n.settings.save === "" && n.settings.appendonly === false;
    if (replicas.length > 0 && noPersistence) {
      const supervised = n.settings.supervised && n.settings.supervised !== "no";
      out.push({
        severity: supervised ? "error" : "warning",
        code: "master_no_persistence",
        message: `Master ${n.address} has no persistence (save "" and appendonly no)${supervised ? ` and runs supervised (${n.settings.supervised})` : ""}: restarted automatically it comes back empty and its replicas sync to the empty dataset, wiping themselves.`,
        next: "Enable persistence on the master (appendonly yes, or a save schedule), or make sure nothing restarts it automatically (let Sentinel fail over instead).",
        node: n.address,
      });
    }
  }
  for (const n of view.nodes) {
    if (n.replication.role === "replica" && n.settings.replicaReadOnly === false) {
      out.push({ severity: "warning", code: "replica_writable", message: `Replica ${n.address} has replica-read-only no: writes to it are silently lost at the next sync.`, next: "Set replica-read-only yes (CONFIG SET replica-read-only yes, and in redis.conf).", node: n.address });
    }
    // REPLICAOF lives in memory; only a config file (CONFIG REWRITE) keeps the role across a restart.
    if (n.replication.role === "replica" && n.configFile === "") {
      const master = masterAddress(n);
      out.push({
        severity: "warning",
        code: "role_not_persisted",
        message: `Replica ${n.address} runs without a config file: its role lives in memory only, so a restart brings it back as a master outside the replication (empty, without persistence).`,
        next: `Start it from a config file that says replicaof ${master.replace(/:(\d+)$/, " $1")} (redis-server /path/redis.conf), or repeat ${toolRef("replication_attach")} after every restart.`,
        node: n.address,
      });
    }
  }
  return out;
}

/**
 * Two masters of one history: a master whose replid2 is another live master's replid was
 * promoted (or detached) from it, and both now take writes the other never sees. A
 * deliberate detach looks the same; an interrupted switchover or promotion, or a promote
 * while the old master was only unreachable, too.
 */
export function checkSplits(view: ReplicationView): Finding[] {
  const masters = view.nodes.filter((n) => n.replication.role === "master");
  return masters.flatMap((n) => {
    const from = masters.find((m) => m.runId !== n.runId && n.replication.replid2 !== undefined && m.replication.replid === n.replication.replid2);
    if (!from) return [];
    return [{
      severity: "warning" as const,
      code: "split_from_master",
      message: `Master ${n.address} was split off from ${from.address}, which is still a master: writes to one never reach the other.`,
      next: `Nothing to do after a deliberate ${toolRef("replication_detach")}. After an interrupted switchover or promotion, keep one: make ${from.address} a replica of ${n.address} (its writes since the split are lost) or ${n.address} a replica of ${from.address} again, with ${toolRef("replication_attach")}.`,
      node: n.address,
    }];
  });
}

/** Addresses of a master's online replicas in its own zone (when zones are known). */
function localReplicas(view: ReplicationView, master: ReplicationNode, online: ReplicationInfo["connectedReplicas"]): string[] {
  if (!master.zone) return [];
  return online.flatMap((l) => {
    const at = l.address.lastIndexOf(":");
    const replica = nodeAt(view, l.address.slice(0, at), Number(l.address.slice(at + 1)));
    return replica && replica.zone === master.zone ? [replica.address] : [];
  });
}

export function checkReplication(view: ReplicationView, o: ReplicationCheckOptions = {}): Finding[] {
  return [...checkTopology(view), ...checkLinks(view, o), ...checkMasters(view, o), ...checkSplits(view)];
}

/** Lag of each replica as its master reports it: bytes behind and seconds since its last ack. */
export function replicaLags(view: ReplicationView): { replica: string; master: string; bytes: number; seconds: number }[] {
  const out: { replica: string; master: string; bytes: number; seconds: number }[] = [];
  for (const m of view.nodes) {
    if (m.replication.role !== "master") continue;
    for (const l of m.replication.connectedReplicas) out.push({ replica: l.address, master: m.address, bytes: Math.max(0, m.replication.offset - l.offset), seconds: l.lag });
  }
  return out;
}
