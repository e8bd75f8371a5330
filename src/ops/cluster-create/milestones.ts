/**
 * Where a cluster build stands, read from one ClusterView. Pure: apply() polls the
 * servers and asks this what is done; tests feed it views built by hand.
 */
import type { ClusterView, NodeView } from "../../topology/types.js";
import type { CreatePlan } from "./plan.js";
import { parseAddress } from "../../redis/address.js";

export interface Milestones {
  /** Nodes (addresses) that know every other node by id, with no handshake left. */
  meshed: Set<string>;
  /** Every node knows every other node. */
  meshComplete: boolean;
  /** Every node maps all slots to the planned masters. */
  slotsAgreed: boolean;
  /** cluster_state:ok on every node. */
  stateOk: boolean;
  /** Every planned replica reports master_link_status:up to its planned master. */
  linksUp: boolean;
  /** Every node's CLUSTER NODES shows every replica under its planned master. */
  converged: boolean;
  /** Nodes that are done when all of these hold: the build is ready and converged. */
  done: boolean;
}

function knowsAll(node: NodeView, ids: Set<string>): boolean {
  const known = new Set(node.peers.filter((p) => !p.flags.includes("handshake") && !p.flags.includes("noaddr")).map((p) => p.id));
  for (const id of ids) if (!known.has(id)) return false;
  return !node.peers.some((p) => p.flags.includes("handshake"));
}

function slotOwnerMatches(node: NodeView, plan: CreatePlan, idOf: Record<string, string>): boolean {
  for (const pm of plan.masters) {
    const entry = node.peers.find((p) => p.id === idOf[pm.address]);
    if (!entry || entry.role !== "master") return false;
    for (const want of pm.slots) {
      if (!entry.slots.some((s) => s.start <= want.start && s.end >= want.end)) return false;
    }
  }
  return true;
}

function seesReplicas(node: NodeView, plan: CreatePlan, idOf: Record<string, string>): boolean {
  return Object.entries(plan.replicaOf).every(([replica, master]) => {
    const entry = node.peers.find((p) => p.id === idOf[replica]);
    return entry !== undefined && entry.role === "replica" && entry.masterId === idOf[master];
  });
}

export function milestones(view: ClusterView, plan: CreatePlan, idOf: Record<string, string>): Milestones {
  const ids = new Set(Object.values(idOf));
  const all = Object.keys(idOf);
  // Plan address -> node, matched by id: a read that discovers peers may name "localhost:7000" as "127.0.0.1:7000".
  const byId = new Map(view.nodes.map((n) => [n.self.id, n]));
  const byAddress = new Map(all.map((a) => [a, byId.get(idOf[a])]));
  const nodes = all.map((a) => byAddress.get(a));
  const present = nodes.every((n) => n !== undefined) && view.unreachable.length === 0;
  const ns = nodes.filter((n): n is NodeView => n !== undefined);
  const meshed = new Set(ns.filter((n) => knowsAll(n, ids)).map((n) => n.address));
  const meshComplete = present && meshed.size === all.length;
  const slotsAgreed = present && ns.every((n) => slotOwnerMatches(n, plan, idOf));
  const stateOk = present && ns.every((n) => n.clusterState === "ok");
  const linksUp = Object.entries(plan.replicaOf).every(([replica, master]) => {
    const r = byAddress.get(replica)?.replication;
    const m = byAddress.get(master);
    // The replica names its master by the IP in its nodes table, which may differ from how the user wrote it.
    return (
      r?.role === "replica" &&
      r.masterLinkStatus === "up" &&
      m !== undefined &&
      r.masterPort === m.self.port &&
      (r.masterHost === m.self.host || r.masterHost === parseAddress(master).host)
    );
  });
  const converged = present && ns.every((n) => seesReplicas(n, plan, idOf));
  return { meshed, meshComplete, slotsAgreed, stateOk, linksUp, converged, done: meshComplete && slotsAgreed && stateOk && linksUp && converged };
}
