/**
 * The shape of a cluster as an operator draws it: shards (a master, its slots, its
 * replicas), placed in zones, with each node's health as its peers see it. Pure: a
 * ClusterView in, plain data out; the topology resources render it as JSON and Mermaid.
 */
import { countSlots, formatRanges, type SlotRange } from "../redis/slots.js";
import type { ClusterNodeEntry, ClusterView } from "../topology/types.js";

export type NodeHealth = "ok" | "pfail" | "fail" | "handshake" | "unreachable";

export interface ShapeNode {
  id?: string;
  address: string;
  zone?: string;
  health: NodeHealth;
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

/** The worst flag any reachable node reports for `id`: a peer's view beats the node's own. */
function healthOf(id: string, view: ClusterView): NodeHealth {
  const flags = new Set(view.nodes.flatMap((n) => n.peers.filter((p) => p.id === id).flatMap((p) => p.flags)));
  if (flags.has("fail")) return "fail";
  if (flags.has("fail?")) return "pfail";
  if (flags.has("handshake")) return "handshake";
  return "ok";
}

/** `zones` places unreachable nodes (reachable ones carry their zone in the view). */
export function topologyShape(view: ClusterView, zones: Record<string, string> = {}): TopologyShape {
  const own: { entry: ClusterNodeEntry; node: ShapeNode }[] = view.nodes.map((n) => ({
    entry: n.self,
    node: { id: n.self.id, address: n.address, ...(n.zone ? { zone: n.zone } : {}), health: healthOf(n.self.id, view) },
  }));
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
