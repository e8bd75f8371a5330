/**
 * The shape of a cluster as an operator draws it: shards (a master, its slots, its
 * replicas), placed in zones, with each node's health (members.ts: the one reading the
 * checks and cluster_info use too). Pure: a ClusterView in, plain data out; the
 * topology resources render it as JSON and Mermaid.
 */
import { countSlots, formatRanges, type SlotRange } from "../redis/slots.js";
import { clusterMembers, failedBy, memberHealth, type NodeHealth } from "./members.js";
import type { ClusterNodeEntry, ClusterView } from "./types.js";

export type { NodeHealth };

export interface ShapeNode {
  id?: string;
  address: string;
  zone?: string;
  health: NodeHealth;
  /** The nodes that mark it failed (or suspect it), when any does. */
  failedBy?: string[];
}

export interface Shard {
  master: ShapeNode;
  slots: SlotRange[];
  slotCount: number;
  replicas: ShapeNode[];
}

export interface TopologyShape {
  readAt: string;
  shards: Shard[];
  /** Replicas whose master is not among the nodes read (e.g. it is unreachable and unknown). */
  orphanReplicas: (ShapeNode & { masterId?: string })[];
  unreachable: ShapeNode[];
}

/** `zones` places unreachable nodes (reachable ones carry their zone in the view). */
export function topologyShape(view: ClusterView, zones: Record<string, string> = {}): TopologyShape {
  const members = clusterMembers(view);
  const own: { entry: ClusterNodeEntry; node: ShapeNode }[] = view.nodes.map((n) => {
    const m = members.get(n.self.id);
    const by = m ? failedBy(m) : [];
    const health = m ? memberHealth(m, view) : "ok";
    return { entry: n.self, node: { id: n.self.id, address: n.address, ...(n.zone ? { zone: n.zone } : {}), health, ...(by.length ? { failedBy: by } : {}) } };
  });
  const shards: Shard[] = own
    .filter((o) => o.entry.role === "master")
    .map((o) => ({ master: o.node, slots: o.entry.slots, slotCount: countSlots(o.entry.slots), replicas: [] }));
  const byMasterId = new Map(shards.map((s) => [s.master.id, s]));
  const orphanReplicas: TopologyShape["orphanReplicas"] = [];
  for (const o of own.filter((x) => x.entry.role === "replica")) {
    const shard = o.entry.masterId ? byMasterId.get(o.entry.masterId) : undefined;
    if (shard) shard.replicas.push(o.node);
    else orphanReplicas.push({ ...o.node, ...(o.entry.masterId ? { masterId: o.entry.masterId } : {}) });
  }
  // Shards in slot order (empty masters last), replicas by address, so output is stable.
  shards.sort((a, b) => (a.slots[0]?.start ?? 1e9) - (b.slots[0]?.start ?? 1e9) || a.master.address.localeCompare(b.master.address));
  for (const s of shards) s.replicas.sort((a, b) => a.address.localeCompare(b.address));
  return {
    readAt: view.readAt,
    shards,
    orphanReplicas,
    unreachable: view.unreachable.map((u) => ({ address: u.address, ...(zones[u.address] ? { zone: zones[u.address] } : {}), health: "unreachable" as const })),
  };
}

/** "0-5460,10923" — long lists cut, with a count of the ranges left out. */
export function formatSlots(slots: SlotRange[], max = 4): string {
  if (slots.length === 0) return "no slots";
  const rest = slots.length - max;
  return formatRanges(slots.slice(0, max)) + (rest > 0 ? ` +${rest} more ranges` : "");
}
