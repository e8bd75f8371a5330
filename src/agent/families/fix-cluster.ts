/** "Fix the cluster in lab demo", "repair open slots": cluster_fix (destructive, so it is confirmed first), then cluster_check. */
import { chosenPlace, placeOf, whereArgs, whereOrOnlyLab } from "../lab-choice.js";
import { checkStep, lastCall } from "./migrate-plans.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface FixClusterIntent extends BaseIntent {
  family: "fix_cluster";
}

const FIX = /\b(?:fix|repair|heal|recover)\b/;

export const fixCluster = defineFamily<FixClusterIntent>({
  name: "fix_cluster",
  doing: "Fixing a Redis Cluster",
  example: "fix the cluster in lab demo",
  effect: "change",
  tools: ["cluster_fix", "cluster_check"],
  verbs: FIX,
  match: (r) => FIX.test(r.bare),
  extract: (r) => ({ family: "fix_cluster", where: r.where, assumed: [] }),
  plan(intent, history, env) {
    const at = whereOrOnlyLab(intent.where, history, "cluster_fix it", (lab) => `fix the cluster in lab ${lab}`);
    if (!("where" in at)) return at;
    const fixed = lastCall(history, "cluster_fix");
    if (!fixed) return { call: { tool: "cluster_fix", args: whereArgs(at.where) }, text: `Plan: cluster_fix ${placeOf(at.where)} (it shows every fix and needs your confirmation), then cluster_check.` };
    const n = fixed.result?.ok ? (fixed.result.output.fixes as unknown[]).length : 0;
    return { done: `${env.dryRun ? "Would fix" : n ? `Applied ${n} fix(es) to` : "Found nothing to fix in"} the cluster at ${placeOf(at.where)}.` };
  },
  verify: (intent, history) => checkStep(chosenPlace(intent.where, history) ?? intent.where),
});
