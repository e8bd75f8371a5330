/**
 * Which master a new replica serves, when none is named: one on another host and in
 * another zone than the new node where there is such a master, and among those the one
 * with the fewest replicas (ties: the address order). Pure.
 */
import type { ClusterMap, MapNode } from "../migrate/cluster-map.js";

export interface Placement {
  master: MapNode;
  /** Why this master, or why the wanted separation was not possible. */
  reason: string;
  warning?: string;
}

/** What a new replica shares with a master it is given (zone first, then host), or "" for nothing. */
export function sharedWith(m: MapNode, newNode: { host: string; zone?: string }): string {
  return newNode.zone !== undefined && m.zone === newNode.zone ? `zone ${m.zone}` : m.host === newNode.host ? `host ${m.host}` : "";
}

/** The named master: honoured, with a warning when it shares the new replica's zone or host. */
export function namedPlacement(master: MapNode, newNode: { host: string; zone?: string }): Placement {
  const where = sharedWith(master, newNode);
  return { master, reason: "named by the request", ...(where ? { warning: `the new replica shares ${where} with its master ${master.address}: losing that ${where.split(" ")[0]} loses both` } : {}) };
}

export function placeReplica(map: ClusterMap, newNode: { host: string; zone?: string }): Placement | undefined {
  const masters = map.nodes.filter((n) => n.role === "master" && n.slots.length > 0);
  if (masters.length === 0) return undefined;
  const replicas = (m: MapNode) => map.nodes.filter((n) => n.masterId === m.id).length;
  const sameZone = (m: MapNode) => newNode.zone !== undefined && m.zone === newNode.zone;
  const sameHost = (m: MapNode) => m.host === newNode.host;
  const rank = (m: MapNode) => [Number(sameZone(m)), Number(sameHost(m)), replicas(m)];
  const best = [...masters].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a.address.localeCompare(b.address, "en", { numeric: true });
  })[0];
  const where = sharedWith(best, newNode);
  return {
    master: best,
    reason: `${best.address} has ${replicas(best)} replica(s), the fewest${where ? "" : " among masters on another host and zone"}`,
    ...(where ? { warning: `the new replica shares ${where} with its master ${best.address}: no master was elsewhere` } : {}),
  };
}
