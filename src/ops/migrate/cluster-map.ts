/**
 * The cluster as a migration sees it: masters with the slots they own and their keys,
 * replicas with their master, read from one ClusterView. Pure. Node references typed
 * by a user (a full id, an id prefix of at least 6 characters, or HOST:PORT) resolve here.
 */
import { quoted, ValidationError } from "../../errors.js";
import { clusterMembers, type Member } from "../../topology/members.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { SLOT_COUNT, countSlots, type SlotRange } from "../../redis/slots.js";
import type { ClusterView } from "../../topology/types.js";
import { toolRef } from "../../registry/words.js";

export interface MapNode {
  id: string;
  /** host:port as the cluster announces it (what MIGRATE and MEET use). */
  address: string;
  role: "master" | "replica";
  slots: SlotRange[];
  /** Keys across all databases, when the node could be read. */
  keys?: number;
  /** Replicas: the master's id. */
  masterId?: string;
  /** Zone label and the IP the node was reached at, for anti-affinity. */
  zone?: string;
  host: string;
  /** The IP and port the cluster announces for it: what a peer (MIGRATE, MEET) connects to. */
  busIp: string;
  port: number;
  /** Cluster bus port (MEET's third argument). */
  busPort: number;
}

export interface ClusterMap {
  nodes: MapNode[];
  /** slot -> owner id ("" when unassigned), by majority view. */
  owner: string[];
}

function toNode(m: Member, view: ClusterView): MapNode {
  const e = m.entry;
  return {
    id: m.id,
    address: m.address,
    role: e.role,
    slots: e.slots,
    ...(m.node ? { keys: m.node.keys } : {}),
    ...(e.masterId ? { masterId: e.masterId } : {}),
    ...((m.node?.zone ?? view.zones?.[m.address]) !== undefined ? { zone: m.node?.zone ?? view.zones?.[m.address] } : {}),
    host: m.node?.ip ?? (e.host || parseAddress(m.address).host),
    busIp: e.host || m.node?.ip || parseAddress(m.address).host,
    port: e.port || parseAddress(m.address).port,
    busPort: e.busPort || (e.port || parseAddress(m.address).port) + 10000,
  };
}

export function clusterMap(view: ClusterView): ClusterMap {
  const nodes = [...clusterMembers(view).values()].map((m) => toNode(m, view)).sort((a, b) => a.address.localeCompare(b.address, "en", { numeric: true }));
  const owner = new Array<string>(SLOT_COUNT).fill("");
  for (const n of nodes) if (n.role === "master") for (const r of n.slots) owner.fill(n.id, r.start, r.end + 1);
  return { nodes, owner };
}

export const mastersOf = (map: ClusterMap): MapNode[] => map.nodes.filter((n) => n.role === "master");
export const slotCount = (n: MapNode): number => countSlots(n.slots);

/** A node by full id, unique id prefix (6+ characters) or HOST:PORT; anything else is a typed refusal. */
export function findNode(map: ClusterMap, ref: string, what = "node"): MapNode {
  const text = ref.trim();
  let address: string | undefined;
  try {
    address = /:\d+$/.test(text) ? formatAddress(parseAddress(text)) : undefined;
  } catch {
    address = undefined;
  }
  const byAddress = address ? map.nodes.filter((n) => n.address === address) : [];
  const lower = text.toLowerCase();
  const byId = /^[0-9a-f]{6,40}$/.test(lower) ? map.nodes.filter((n) => n.id.startsWith(lower)) : [];
  const found = byAddress.length ? byAddress : byId;
  if (found.length === 1) return found[0];
  const known = map.nodes.map((n) => `${n.id.slice(0, 8)} (${n.address}, ${n.role})`).join(", ");
  if (found.length > 1) throw new ValidationError(`The ${what} ${quoted(ref)} matches ${found.length} nodes.`, `Give more of the node id. Nodes: ${known}.`);
  throw new ValidationError(`No ${what} ${quoted(ref)} in this cluster.`, `Name a node by id (or a unique prefix of 6+ characters) or HOST:PORT. Nodes: ${known}.`);
}

/** A node that must be a master (a target, a source, a drained node). */
export function findMaster(map: ClusterMap, ref: string, what: string): MapNode {
  const n = findNode(map, ref, what);
  if (n.role !== "master") {
    const master = map.nodes.find((m) => m.id === n.masterId);
    throw new ValidationError(
      `The ${what} ${n.address} (${n.id.slice(0, 8)}) is a replica${master ? ` of ${master.address}` : ""}; slots live on masters.`,
      `Name a master${master ? `, e.g. ${master.address}` : ""}, or promote the replica first with ${toolRef("cluster_failover")}.`,
    );
  }
  return n;
}
