/**
 * The cluster's members as one table, built from every node's own view: a node we read
 * is the authority on itself (its "myself" line); a node we could not read is described
 * by what most of its peers say. Handshake entries are not members (their ids are
 * temporary). And the one reading of a member's health (is it up, who reports it
 * failed) that the checks, cluster_info and the topology resources all use. Pure.
 */
import { formatAddress } from "../redis/address.js";
import { countSlots, formatRanges, mergeRanges } from "../redis/slots.js";
import type { ClusterNodeEntry, ClusterView, NodeFlag, NodeView } from "./types.js";

export interface Member {
  id: string;
  /** host:port; for a noaddr node, whatever address was last known. */
  address: string;
  entry: ClusterNodeEntry;
  /** Our own read of the node, when it answered. */
  node?: NodeView;
  /** Flag -> addresses of the nodes whose view carries it for this member. */
  flaggedBy: Partial<Record<NodeFlag, string[]>>;
}

const WATCHED_FLAGS: NodeFlag[] = ["fail", "fail?", "handshake", "noaddr"];

export function entryAddress(e: ClusterNodeEntry): string {
  return formatAddress({ host: e.host, port: e.port });
}

function signature(e: ClusterNodeEntry): string {
  return `${e.role}|${e.masterId ?? ""}|${formatRanges(e.slots)}|${e.configEpoch}`;
}

/** The entry most views agree on (ties: the first view in address order). */
function majorityEntry(entries: ClusterNodeEntry[]): ClusterNodeEntry {
  const tally = new Map<string, { entry: ClusterNodeEntry; n: number }>();
  for (const e of entries) {
    const key = signature(e);
    const t = tally.get(key);
    if (t) t.n++;
    else tally.set(key, { entry: e, n: 1 });
  }
  return [...tally.values()].reduce((best, t) => (t.n > best.n ? t : best)).entry;
}

export function clusterMembers(view: ClusterView): Map<string, Member> {
  const reports = new Map<string, { entries: ClusterNodeEntry[]; flaggedBy: Member["flaggedBy"] }>();
  for (const node of view.nodes) {
    for (const peer of node.peers) {
      if (peer.flags.includes("handshake")) continue;
      const r = reports.get(peer.id) ?? { entries: [], flaggedBy: {} };
      reports.set(peer.id, r);
      r.entries.push(peer);
      for (const f of WATCHED_FLAGS) if (peer.flags.includes(f)) (r.flaggedBy[f] ??= []).push(node.address);
    }
  }
  const byId = new Map(view.nodes.map((n) => [n.self.id, n]));
  const members = new Map<string, Member>();
  for (const [id, r] of reports) {
    const node = byId.get(id);
    const entry = node ? node.self : majorityEntry(r.entries);
    members.set(id, { id, address: node ? node.address : entryAddress(entry), entry, ...(node ? { node } : {}), flaggedBy: r.flaggedBy });
  }
  return members;
}

/** Masters that own slots, in address order. */
export function slotOwners(members: Map<string, Member>): Member[] {
  return [...members.values()].filter((m) => m.entry.role === "master" && m.entry.slots.length > 0);
}

export function replicasOf(members: Map<string, Member>, masterId: string): Member[] {
  return [...members.values()].filter((m) => m.entry.role === "replica" && m.entry.masterId === masterId);
}

/**
 * A member's health, worst first: fail (some node marks it failed), unreachable (we
 * could not read it), pfail (some node suspects it), ok. Handshake entries are not
 * members, and noaddr (address unknown) says nothing about whether it runs.
 */
export type NodeHealth = "fail" | "unreachable" | "pfail" | "ok";

export function memberHealth(m: Member, view: ClusterView): NodeHealth {
  if (m.flaggedBy.fail?.length) return "fail";
  if (!m.node && view.unreachable.some((u) => u.address === m.address)) return "unreachable";
  if (m.flaggedBy["fail?"]?.length) return "pfail";
  return "ok";
}

/** Still serving: up, or only suspected (a replica that is pfail still replicates; a node decides fail by majority). */
export const isUp = (health: NodeHealth): boolean => health === "ok" || health === "pfail";

/** The nodes whose view marks the member failed (fail), else suspected (fail?); empty when none does. */
export function failedBy(m: Member): string[] {
  return m.flaggedBy.fail ?? m.flaggedBy["fail?"] ?? [];
}

export interface ClusterCounts {
  nodes: number;
  reachable: number;
  unreachable: number;
  masters: number;
  replicas: number;
  slotsCovered: number;
}

export function clusterCounts(view: ClusterView, members = clusterMembers(view)): ClusterCounts {
  const all = [...members.values()];
  return {
    nodes: all.length,
    reachable: view.nodes.length,
    unreachable: view.unreachable.length,
    masters: all.filter((m) => m.entry.role === "master").length,
    replicas: all.filter((m) => m.entry.role === "replica").length,
    slotsCovered: countSlots(mergeRanges(all.flatMap((m) => (m.entry.role === "master" ? m.entry.slots : [])))),
  };
}
