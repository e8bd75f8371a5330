/**
 * Replication plans, pure: from the nodes as read, what REPLICAOF steps make the asked
 * topology, or a ValidationError naming why it cannot be done (a replica of itself, a
 * loop, a cluster node, a master that is itself a replica). Plans are serializable;
 * dry runs return them.
 */
import { ValidationError } from "../../errors.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { replicaEntry, type ReplicationNode } from "../../topology/replication-view.js";
import { argRef, toolRef } from "../../registry/words.js";
import { persistSteps, persistWarnings, roleChange } from "./persist.js";

export interface PlanStep {
  kind: "replicaof" | "replicaof-no-one" | "already" | "failover" | "sentinel-remove" | "sentinel-monitor" | "wait-sync" | "config-rewrite";
  node: string;
  description: string;
}

export interface AttachPlan {
  kind: "replication-attach";
  version: 1;
  master: string;
  replicas: { address: string; discardsKeys: number; from?: string }[];
  steps: PlanStep[];
  warnings: string[];
}

/** host:port a replica names as its master, or undefined for a master. */
export function masterOf(n: ReplicationNode): string | undefined {
  const r = n.replication;
  return r.role === "replica" && r.masterHost && r.masterPort ? formatAddress({ host: r.masterHost, port: r.masterPort }) : undefined;
}

/** True when `n` names `target` (by address or by the IP its address reached) as master. */
export function follows(n: ReplicationNode, target: ReplicationNode): boolean {
  const r = n.replication;
  if (r.role !== "replica") return false;
  const t = parseAddress(target.address);
  return r.masterPort === t.port && (r.masterHost === t.host || r.masterHost === target.ip);
}

/**
 * A replica linked to its master, seen from both ends: it follows the master with its link
 * up and no sync running, and the master lists it online. The two ends disagree for a
 * while after a full sync: the replica has loaded the RDB and says its link is up, but the
 * master puts it online only when it reaps the child that streamed the RDB (serverCron,
 * up to 1/hz later; longer on a busy host), and lists it as wait_bgsave until then.
 * replication_check counts only replicas the master lists online.
 */
export function linked(replica: ReplicationNode, master: ReplicationNode): boolean {
  const r = replica.replication;
  return follows(replica, master) && r.masterLinkStatus === "up" && !r.masterSyncInProgress && replicaEntry(master, replica)?.state === "online";
}

const sameNode = (a: ReplicationNode, b: ReplicationNode) => a.runId === b.runId;

/** The chain of masters above `start` (by run id), as far as the read nodes go. */
function mastersAbove(start: ReplicationNode, nodes: ReplicationNode[]): ReplicationNode[] {
  const chain: ReplicationNode[] = [];
  let cur: ReplicationNode | undefined = start;
  while (cur && cur.replication.role === "replica") {
    const up = nodes.find((n) => follows(cur!, n));
    if (!up || chain.some((c) => sameNode(c, up))) break;
    chain.push(up);
    cur = up;
  }
  return chain;
}

export function planAttach(master: ReplicationNode, replicas: ReplicationNode[], known: ReplicationNode[] = []): AttachPlan {
  const all = [master, ...replicas, ...known];
  if (master.clusterEnabled) throw new ValidationError(`${master.address} runs with cluster-enabled yes: replicas of cluster nodes are set with CLUSTER REPLICATE.`, `Use ${toolRef("cluster_add_node")} with ${argRef("masterId", undefined, "cluster_add_node")}, or a non-cluster node.`);
  const seen = new Set<string>();
  for (const r of replicas) {
    if (sameNode(r, master)) throw new ValidationError(`${r.address} cannot be a replica of itself (it is the master ${master.address}).`, "Name a different node as the replica.");
    if (seen.has(r.runId)) throw new ValidationError(`${r.address} is listed twice (the same server).`, "List each replica once.");
    seen.add(r.runId);
    if (r.clusterEnabled) throw new ValidationError(`${r.address} runs with cluster-enabled yes: REPLICAOF is refused on cluster nodes.`, `Use CLUSTER REPLICATE (${toolRef("cluster_add_node")}) for cluster nodes.`);
  }
  if (master.replication.role === "replica") {
    const above = mastersAbove(master, all);
    const loopVia = replicas.find((r) => above.some((a) => sameNode(a, r)));
    if (loopVia) throw new ValidationError(`Making ${loopVia.address} a replica of ${master.address} would create a replication loop: ${master.address} already replicates (through ${above.map((a) => a.address).join(" -> ")}) from ${loopVia.address}.`, `Promote one of them first (${toolRef("replication_promote")}), or attach both to one master.`);
    throw new ValidationError(`${master.address} is itself a replica of ${masterOf(master)}: its replicas would form a chain.`, `Attach the replicas to ${masterOf(master)} instead.`);
  }
  const steps: PlanStep[] = [];
  const warnings: string[] = [];
  const planned: AttachPlan["replicas"] = [];
  for (const r of replicas) {
    const from = masterOf(r);
    if (follows(r, master) && r.replication.masterLinkStatus === "up") {
      steps.push({ kind: "already", node: r.address, description: `${r.address} already replicates from ${master.address}` });
      planned.push({ address: r.address, discardsKeys: 0, from });
      continue;
    }
    const discards = r.replication.role === "master" ? r.keys : 0;
    if (discards > 0) warnings.push(`${r.address} holds ${discards} keys; REPLICAOF discards them and loads ${master.address}'s dataset.`);
    if (r.replication.role === "master" && r.replication.connectedReplicas.length > 0) {
      warnings.push(`${r.address} is a master with ${r.replication.connectedReplicas.length} replica(s); they will follow it and so resync from ${master.address} too.`);
    }
    const { host, port } = parseAddress(master.address);
    steps.push({ kind: "replicaof", node: r.address, description: `REPLICAOF ${host} ${port} on ${r.address}${from ? ` (now a replica of ${from})` : ""}` });
    planned.push({ address: r.address, discardsKeys: discards, ...(from ? { from } : {}) });
  }
  // Every replica's role goes to its config file, those already attached too (an earlier REPLICAOF may not have been written).
  const persisted = replicas.map((r) => roleChange(r, `replica of ${master.address}`));
  steps.push(...persistSteps(persisted));
  warnings.push(...persistWarnings(persisted));
  steps.push({ kind: "wait-sync", node: master.address, description: `wait until every replica's link is up and its offset has caught up with ${master.address}` });
  return { kind: "replication-attach", version: 1, master: master.address, replicas: planned, steps, warnings };
}

export function formatSteps(steps: PlanStep[]): string {
  return steps.map((s, i) => `${i + 1}. ${s.description}`).join("\n");
}
