/**
 * "Rebalance the cluster": slots spread evenly over the masters (by weight). Plan: read
 * the cluster (masters without slots take part when there are any: that is why one adds
 * a master), cluster_rebalance, verify with cluster_check.
 */
import { chosenPlace, placeOf, whereArgs, whereOrOnlyLab } from "../lab-choice.js";
import { checkStep, infoRows, lastCall, masters, readInfo } from "./migrate-plans.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface RebalanceIntent extends BaseIntent {
  family: "rebalance";
  /** "by keys", "by memory": balance what the slots hold, not their count. */
  mode?: "keys" | "memory";
  /** "threshold 5%": percent a master may stray from its share. */
  threshold?: number;
}

const REBALANCE = /\brebalanc/;

export const rebalance = defineFamily<RebalanceIntent>({
  name: "rebalance",
  doing: "Rebalancing slots",
  example: "rebalance the cluster in lab demo",
  effect: "change",
  tools: ["cluster_rebalance", "cluster_info", "cluster_check"],
  verbs: REBALANCE,
  match: (r) => REBALANCE.test(r.bare),
  extract: (r) => {
    const mode = /\b(?:by|on|per) (?:the )?(?:keys?|key counts?)\b/.test(r.bare) ? "keys" : /\b(?:by|on|per) (?:the )?(?:memory|bytes|used memory|size)\b/.test(r.bare) ? "memory" : undefined;
    const threshold = r.count(/\bthreshold (?:of )?(\d+) ?(?:%|percent)?/);
    return { family: "rebalance", ...(mode ? { mode } : {}), ...(threshold !== undefined ? { threshold } : {}), where: r.where, assumed: [] };
  },
  plan(intent, history, env) {
    const at = whereOrOnlyLab(intent.where, history, "rebalance it", (lab) => `rebalance the cluster in lab ${lab}`);
    if (!("where" in at)) return at;
    const rows = infoRows(history);
    if (!rows) return { call: readInfo(at.where), text: `Plan: read the cluster at ${placeOf(at.where)}, cluster_rebalance it, then cluster_check.` };
    const empty = masters(rows).filter((m) => m.slotCount === 0);
    if (!lastCall(history, "cluster_rebalance")) return { call: { tool: "cluster_rebalance", args: { ...whereArgs(at.where), ...(empty.length ? { useEmptyMasters: true } : {}), ...(intent.mode ? { mode: intent.mode } : {}), ...(intent.threshold !== undefined ? { threshold: intent.threshold } : {}) } } };
    return { done: `${env.dryRun ? "Would rebalance" : "Rebalanced"} the slots${intent.mode ? ` by ${intent.mode}` : ""} at ${placeOf(at.where)}${empty.length ? `, giving slots to ${empty.map((m) => m.address).join(", ")}` : ""}.` };
  },
  verify: (intent, history) => checkStep(chosenPlace(intent.where, history) ?? intent.where),
});
