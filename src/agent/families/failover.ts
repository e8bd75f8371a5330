/**
 * "Fail over the master in lab demo", "promote 127.0.1.2:7001", "fail over mymaster":
 * what runs there decides how (ha-place.ts reads it first). A Redis Cluster: one of the
 * master's replicas takes over (coordinated cluster_failover), then cluster_check. A
 * master Sentinel watches, or plain replication: replication-failover.ts (SENTINEL
 * FAILOVER, a planned switchover, or a promotion when the master is gone).
 */
import type { Where } from "../intent.js";
import type { CallOutcome } from "../planner.js";
import type { Reading } from "../reading.js";
import { normalizeRequest } from "../words.js";
import { findPlace, type HaPlace } from "./ha-place.js";
import { checkStep, infoRows, lastCall, masters, readInfo } from "./migrate-plans.js";
import { planReplicationFailover, replicationFailoverVerify } from "./replication-failover.js";
import { whereArgs } from "../lab-choice.js";
import { defineFamily, type BaseIntent, type Next, type PlanEnv } from "./family.js";

export interface FailoverIntent extends BaseIntent {
  family: "failover";
  /** Masters to fail over (default 1). */
  count: number;
  /** A Sentinel master name ("fail over mymaster"). */
  name?: string;
  /** "promote X", "switch over to X": the named node is the replica to promote. */
  promote: boolean;
  /** "force a failover", "... with takeover": CLUSTER FAILOVER FORCE / TAKEOVER (a Redis Cluster only). */
  mode?: "force" | "takeover";
}

export const FAILOVER = /\b(?:failover|promote|takeover|switchover|switch over)\b/;
const PROMOTE = /\bpromote\b|\b(?:failover|switchover|switch over) to\b/;
const TAKEOVER = /\btake ?over\b/;
const FORCE = /\bforced?\b|\bforcibly\b/;

/** Words after "fail over" that are not a Sentinel master's name. */
const NOT_A_NAME = new Set(
  ("the a an this that it its my our your to of in on at for from now please again immediately safely gracefully manually sentinel sentinels master masters " +
    "primary replica replicas node nodes cluster shard lab target redis server all every each and with using via by then so one both first is if when back instead without asap").split(" "),
);
const NAME_AFTER = /\b(?:fail[\s-]*over|failover|switch[\s-]*over|switchover)\s+(?:of\s+|for\s+)?(?:the\s+)?(?:sentinel[\s-]+)?(?:(?:master|primary)\s+)?(?:(?:named|called)\s+)?["'`]?([A-Za-z0-9][\w.:-]*?)["'`]?(?=[\s,.;!?]|$)/i;

/**
 * The Sentinel master name a request gives ("fail over mymaster", "failover of the master
 * named orders"), case kept (Sentinel names are case-sensitive); undefined when the word
 * after the verb is an ordinary word, a number or an address.
 */
export function sentinelNameIn(raw: string): string | undefined {
  const m = NAME_AFTER.exec(raw);
  if (!m || /^\d+$/.test(m[1]) || m[1].includes(":") || NOT_A_NAME.has(m[1].toLowerCase())) return undefined;
  return m[1];
}

function extract(r: Reading): FailoverIntent {
  const name = sentinelNameIn(r.raw);
  let where: Where = r.where;
  if (name) {
    r.place(new RegExp(normalizeRequest(name).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    // "the master named orders": where.ts read "named orders" as a lab.
    if (where.lab === name.toLowerCase() && new RegExp(`\\b(?:named|called)\\s+["'\`]?${where.lab}\\b`, "i").test(r.raw)) {
      const { lab: _lab, ...rest } = where;
      where = rest;
    }
  }
  return {
    family: "failover",
    count: r.count(/(\d+) (?:node|master|replica|shard)s?\b/) ?? 1,
    ...(name ? { name } : {}),
    promote: PROMOTE.test(r.bare),
    ...(TAKEOVER.test(r.bare) ? { mode: "takeover" as const } : FORCE.test(r.bare) ? { mode: "force" as const } : {}),
    where,
    assumed: [],
  };
}

/** The Redis Cluster plan: read the cluster, promote a replica of the named master (or the named replica), each once. */
function planCluster(intent: FailoverIntent, where: Where, history: readonly CallOutcome[], env: PlanEnv): Next {
  const rows = infoRows(history);
  if (!rows) return { call: readInfo(where), text: `Plan: read the cluster at ${where.lab ? `lab ${where.lab}` : where.target ? `target ${where.target}` : where.nodes!.join(" ")}, promote a replica of ${intent.count === 1 ? "a master" : `${intent.count} masters`} with cluster_failover, then cluster_check.` };
  const done = history.filter((h) => h.call.tool === "cluster_failover");
  if (done.length >= intent.count) return { done: `${env.dryRun ? "Would fail over" : "Failed over"} ${done.map((d) => `to ${d.call.args.replica}`).join(", ")}${intent.mode ? ` (${intent.mode})` : ""}.` };
  if (lastCall(history, "cluster_failover") && !lastCall(history, "cluster_failover")!.result?.ok) return { stop: "The failover did not succeed.", reason: "failed" };
  const used = new Set(done.map((d) => String(d.call.args.replica)));
  // A replica named by address is the one promoted; a named master has one of its replicas promoted; else masters in address order, each once.
  const namedReplica = where.nodes?.find((a) => rows.some((r) => r.role === "replica" && r.address === a));
  const how = intent.mode ? { [intent.mode]: true } : {};
  if (namedReplica && !used.has(namedReplica)) return { call: { tool: "cluster_failover", args: { ...whereArgs(where), replica: namedReplica, ...how } } };
  if (namedReplica || (intent.promote && where.nodes?.length)) {
    const named = where.nodes![0];
    if (!namedReplica) return { refuse: `${named} is ${rows.some((r) => r.address === named) ? "already a master" : "not a node of this cluster"}; name a replica to promote.`, reason: "impossible" };
  }
  const named = where.nodes?.find((a) => masters(rows).some((m) => m.address === a));
  const candidates = masters(rows).filter((m) => m.slotCount > 0 && (!named || m.address === named));
  const replica = candidates.flatMap((m) => rows.filter((r) => r.role === "replica" && r.master === m.address && !used.has(r.address)))[0];
  if (!replica) return { refuse: `${named ? `${named} has` : "The masters have"} no replica to promote.`, reason: "impossible" };
  return { call: { tool: "cluster_failover", args: { ...whereArgs(where), replica: replica.address, ...how } } };
}

const placeOfIntent = (intent: FailoverIntent, history: readonly CallOutcome[]) =>
  findPlace(intent.where, history, {
    then: intent.name ? `fail over ${intent.name}` : intent.promote ? "promote it" : "fail over its master",
    example: (lab) => (intent.name ? `fail over ${intent.name} in lab ${lab}` : `fail over the master in lab ${lab}`),
    sentinelName: !!intent.name,
  });

export const failover = defineFamily<FailoverIntent>({
  name: "failover",
  doing: "Failing over a master",
  example: "fail over the master in lab demo",
  effect: "change",
  tools: ["cluster_failover", "cluster_info", "cluster_check", "lab_list", "replication_info", "replication_switchover", "replication_promote", "replication_check", "sentinel_failover", "sentinel_check"],
  verbs: FAILOVER,
  match: (r) => FAILOVER.test(r.bare),
  extract,
  plan(intent, history, env) {
    const found = placeOfIntent(intent, history);
    if (!("place" in found)) return found;
    const place: HaPlace = found.place;
    if (place.kind !== "cluster" && intent.mode) {
      return { refuse: `A ${intent.mode} failover is a Redis Cluster's (CLUSTER FAILOVER ${intent.mode.toUpperCase()}); ${place.lab ? `lab ${place.lab}` : "this place"} runs ${place.kind === "sentinel" ? "Sentinel" : "plain replication"}. Ask without "${intent.mode}".`, reason: "impossible" };
    }
    if (place.kind !== "cluster") return planReplicationFailover({ count: intent.count, name: intent.name, promote: intent.promote, nodes: intent.where.nodes }, place, history, env);
    if (intent.name) return { refuse: `${place.lab ? `Lab ${place.lab}` : "It"} runs a Redis Cluster, which fails over by itself and has no Sentinel master named ${intent.name}; say which master, e.g. "fail over the master at HOST:PORT".`, reason: "impossible" };
    return planCluster(intent, place.where, history, env);
  },
  verify(intent, history) {
    const found = placeOfIntent(intent, history);
    if (!("place" in found)) return checkStep(intent.where);
    if (found.place.kind !== "cluster") return replicationFailoverVerify({ count: intent.count, name: intent.name, promote: intent.promote, nodes: intent.where.nodes }, found.place, history);
    return checkStep(found.place.where);
  },
});
