/**
 * A master that gives away its last slot turns itself into a replica of the node that
 * took it (Redis issues #4592, #11104): gossip tells it its slots moved, and with
 * cluster-allow-replica-migration yes (the default) it follows them; its replicas do the
 * same. Measured here on 7.0: a drained master was a replica of its last receiver within
 * a second, and its replica re-pointed and started a full sync. So for the duration of a
 * move that empties a master, that master and its replicas run with the setting off;
 * it is put back afterwards (and re-read), whatever happened to the move.
 */
import { errorMessage } from "../../errors.js";
import type { NodePool } from "../../redis/connection.js";
import { parseConfigGet } from "../../redis/parse-config.js";
import { countSlots, rangesToSlots } from "../../redis/slots.js";
import type { ClusterMap } from "./cluster-map.js";
import type { Move } from "./plan.js";

const SETTING = "cluster-allow-replica-migration";

export interface Protection {
  /** address -> original value. */
  saved: Map<string, string>;
}

/** Masters the moves leave without any slot, and their replicas. */
export function emptiedMasters(map: ClusterMap, moves: Move[]): string[] {
  const left = new Map(map.nodes.filter((n) => n.role === "master").map((n) => [n.id, countSlots(n.slots)]));
  for (const m of moves) {
    const n = rangesToSlots(m.slots).length;
    left.set(m.from, (left.get(m.from) ?? 0) - n);
    left.set(m.to, (left.get(m.to) ?? 0) + n);
  }
  const emptied = new Set(map.nodes.filter((n) => n.role === "master" && countSlots(n.slots) > 0 && (left.get(n.id) ?? 0) <= 0).map((n) => n.id));
  return map.nodes.filter((n) => emptied.has(n.id) || (n.masterId !== undefined && emptied.has(n.masterId))).map((n) => n.address);
}

export async function protect(pool: NodePool, addresses: string[]): Promise<Protection> {
  const saved = new Map<string, string>();
  for (const a of addresses) {
    const client = await pool.get(a);
    const value = parseConfigGet(await client.call("CONFIG", "GET", SETTING))[SETTING];
    if (value === undefined || value === "no") continue;
    await client.call("CONFIG", "SET", SETTING, "no");
    saved.set(a, value);
  }
  return { saved };
}

/** As the journal records it: address -> setting -> original value. */
export function restoreRecord(p: Protection): Record<string, Record<string, string>> {
  return Object.fromEntries([...p.saved].map(([a, v]) => [a, { [SETTING]: v }]));
}

/** The journal's record back as a Protection (settings other than ours are ignored). */
export function fromRecord(r: Record<string, Record<string, string>> | undefined): Protection {
  return { saved: new Map(Object.entries(r ?? {}).flatMap(([a, s]) => (s[SETTING] !== undefined ? [[a, s[SETTING]] as [string, string]] : []))) };
}

/** Puts the setting back; returns one message per node where that failed (empty when all were restored). */
export async function unprotect(pool: NodePool, p: Protection): Promise<string[]> {
  const problems: string[] = [];
  for (const [a, value] of p.saved) {
    try {
      const client = await pool.get(a);
      await client.call("CONFIG", "SET", SETTING, value);
      const now = parseConfigGet(await client.call("CONFIG", "GET", SETTING))[SETTING];
      if (now !== value) problems.push(`${SETTING} on ${a} is ${now}, not its original ${value}: run CONFIG SET ${SETTING} ${value} there.`);
    } catch (err) {
      problems.push(`Could not restore ${SETTING} ${value} on ${a} (${errorMessage(err)}): run CONFIG SET ${SETTING} ${value} there.`);
    }
  }
  return problems;
}
