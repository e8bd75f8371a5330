/**
 * "Fail over the master in lab demo", "fail over the master at 127.0.0.1:7000": one of
 * that master's replicas takes over (coordinated cluster_failover), then cluster_check.
 */
import { chosenPlace, placeOf, whereArgs, whereOrOnlyLab } from "../lab-choice.js";
import { checkStep, infoRows, lastCall, masters, readInfo } from "./migrate-plans.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface FailoverIntent extends BaseIntent {
  family: "failover";
  /** Masters to fail over (default 1). */
  count: number;
}

const FAILOVER = /\b(?:failover|fail over|promote|takeover|switchover)\b/;

export const failover = defineFamily<FailoverIntent>({
  name: "failover",
  doing: "Failing over a master",
  example: "fail over the master in lab demo",
  effect: "change",
  tools: ["cluster_failover", "cluster_info", "cluster_check"],
  verbs: FAILOVER,
  match: (r) => FAILOVER.test(r.bare),
  extract: (r) => ({ family: "failover", count: r.count(/(\d+) (?:node|master|replica|shard)s?\b/) ?? 1, where: r.where, assumed: [] }),
  plan(intent, history, env) {
    const at = whereOrOnlyLab(intent.where, history, "fail over one of its masters", (lab) => `fail over the master in lab ${lab}`);
    if (!("where" in at)) return at;
    const rows = infoRows(history);
    if (!rows) return { call: readInfo(at.where), text: `Plan: read the cluster at ${placeOf(at.where)}, promote a replica of ${intent.count === 1 ? "a master" : `${intent.count} masters`} with cluster_failover, then cluster_check.` };
    const done = history.filter((h) => h.call.tool === "cluster_failover");
    if (done.length >= intent.count) return { done: `${env.dryRun ? "Would fail over" : "Failed over"} ${done.map((d) => `to ${d.call.args.replica}`).join(", ")}.` };
    // A master named by address, else masters in address order; each once.
    const named = intent.where.nodes?.find((a) => masters(rows).some((m) => m.address === a));
    const used = new Set(done.map((d) => String(d.call.args.replica)));
    const candidates = masters(rows).filter((m) => m.slotCount > 0 && (!named || m.address === named));
    const replica = candidates.flatMap((m) => rows.filter((r) => r.role === "replica" && r.master === m.address && !used.has(r.address)))[done.length === 0 ? 0 : 0];
    if (!replica) return { refuse: `${named ? `${named} has` : "The masters have"} no replica to promote.`, reason: "impossible" };
    if (lastCall(history, "cluster_failover") && !lastCall(history, "cluster_failover")!.result?.ok) return { stop: "The failover did not succeed.", reason: "failed" };
    return { call: { tool: "cluster_failover", args: { ...whereArgs(at.where), replica: replica.address } } };
  },
  verify: (intent, history) => checkStep(chosenPlace(intent.where, history) ?? intent.where),
});
