/**
 * One member as a row of cluster_info: who it is, what it owns, what it and its peers
 * say about it, its health (members.ts) and, for replicas, its link and lag. Pure.
 */
import { countSlots, formatRanges } from "../redis/slots.js";
import { failedBy, memberHealth, type Member, type NodeHealth } from "./members.js";
import type { ClusterView } from "./types.js";

export interface MemberRow {
  address: string;
  id: string;
  role: "master" | "replica";
  /** For replicas: the master's address (its id when the master is unknown). */
  master?: string;
  /** Owned slots as ranges, "0-5460"; empty for replicas. */
  slots: string;
  slotCount: number;
  keys?: number;
  zone?: string;
  /** The node's flags, plus fail / fail? / noaddr when any peer sets them. */
  flags: string[];
  reachable: boolean;
  health: NodeHealth;
  /** The nodes that mark it failed (or suspect it). */
  failedBy?: string[];
  clusterState?: "ok" | "fail";
  configEpoch: number;
  linkStatus?: "up" | "down";
  /** Replicas: master offset minus replica offset. */
  lagBytes?: number;
}

export function describeMember(m: Member, members: Map<string, Member>, view: ClusterView): MemberRow {
  const e = m.entry;
  const r = m.node?.replication;
  const masterNode = e.masterId ? members.get(e.masterId)?.node : undefined;
  const lag = r?.role === "replica" && masterNode?.replication.role === "master" ? masterNode.replication.offset - r.offset : undefined;
  const by = failedBy(m);
  return {
    address: m.address,
    id: m.id,
    role: e.role,
    ...(e.masterId ? { master: members.get(e.masterId)?.address ?? e.masterId } : {}),
    slots: formatRanges(e.slots),
    slotCount: countSlots(e.slots),
    ...(m.node ? { keys: m.node.keys, clusterState: m.node.clusterState } : {}),
    ...(m.node?.zone ? { zone: m.node.zone } : {}),
    flags: [...new Set([...e.flags.filter((f) => f !== "myself"), ...Object.keys(m.flaggedBy)])],
    reachable: m.node !== undefined,
    health: memberHealth(m, view),
    ...(by.length ? { failedBy: by } : {}),
    configEpoch: e.configEpoch,
    ...(r?.role === "replica" && r.masterLinkStatus ? { linkStatus: r.masterLinkStatus } : {}),
    ...(lag !== undefined ? { lagBytes: Math.max(0, lag) } : {}),
  };
}
