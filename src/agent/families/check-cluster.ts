/**
 * "Check the cluster in lab demo", "is my cluster healthy?": cluster_check on the named
 * place (or the only lab there is), a verification by itself. Counts the request states
 * ("the 6 node cluster", "the 3 masters have replicas") are checked too.
 */
import { compareCounts, expectedCounts, type Expected, type ReadCounts } from "../expectations.js";
import { placeOf, whereArgs, whereOrOnlyLab } from "../lab-choice.js";
import { CHECK } from "../vocabulary.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface CheckClusterIntent extends BaseIntent {
  family: "check_cluster";
  expected: Expected;
}

/** In a question, words that ask whether something is wrong: "is anything wrong with lab demo?", "is lab demo down?" */
const TROUBLE = /\b(?:wrong|broken|problem|issue|failing|failed|fine|covered|coverage|agree|down|up|alive|running|working|reachable)\b/;

const COUNTING = /^\s*(?:how many|how much|which|who|whose)\b/i;

export const checkCluster = defineFamily<CheckClusterIntent>({
  name: "check_cluster",
  doing: "Checking a Redis Cluster",
  example: "check the cluster in lab demo",
  effect: "look",
  tools: ["cluster_check", "lab_list"],
  verbs: CHECK,
  // A yes/no question about trouble; "how many nodes are running?" asks for a count, which cluster_info answers.
  match: (r) => CHECK.test(r.bare) || (r.question && TROUBLE.test(r.bare) && !COUNTING.test(r.raw)),
  extract: (r) => ({ family: "check_cluster", where: r.where, assumed: [], expected: expectedCounts(r) }),
  plan(intent, history, env) {
    const at = whereOrOnlyLab(intent.where, history, "cluster_check it", (lab) => `check the cluster in lab ${lab}`);
    if (!("where" in at)) return at;
    const checked = history.find((o) => o.call.tool === "cluster_check");
    if (!checked) {
      const each = intent.expected.replicasEach;
      return {
        call: { tool: "cluster_check", args: { ...whereArgs(at.where), ...(each !== undefined ? { replicasPerMaster: each } : {}) } },
        ...(at.found ? {} : { text: `Plan: cluster_check ${placeOf(at.where)}.` }),
      };
    }
    const counts = checked.result?.ok ? (checked.result.output.counts as ReadCounts) : undefined;
    const { wrong, held } = counts ? compareCounts(intent.expected, counts) : { wrong: [], held: [] };
    if (wrong.length) return { stop: `The cluster at ${placeOf(at.where)} does not match the request: it has ${wrong.join(" and ")}.`, reason: "verification_failed" };
    return { done: `${env.dryRun ? "Would check" : "Checked"} the cluster at ${placeOf(at.where)}.${held.length ? ` It has ${held.join(" and ")}, as the request says.` : ""}` };
  },
});
