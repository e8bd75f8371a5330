/** "Add two read replicas to lab demo": new nodes join as replicas of the masters. */
import { refuse } from "../intent.js";
import { chosenPlace, whereOrOnlyLab } from "../lab-choice.js";
import { planSpareAdds } from "./add-node.js";
import { checkStep, masters } from "./migrate-plans.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface AddReplicasIntent extends BaseIntent {
  family: "add_replicas";
  count: number;
  /** count is per master ("to each master"), not in all. */
  each: boolean;
}

const ADD_REPLICAS = /\b(?:add|attach)\b.*\breplica\b|\bmore replica\b/;

export const addReplicas = defineFamily<AddReplicasIntent>({
  name: "add_replicas",
  doing: "Adding read replicas",
  example: "add 1 replica to each master in lab demo",
  effect: "change",
  tools: ["cluster_add_node", "cluster_info", "lab_status", "cluster_check"],
  verbs: ADD_REPLICAS,
  match: (r) => ADD_REPLICAS.test(r.bare),
  extract(r) {
    const assumed: string[] = [];
    const count = r.count(/(\d+) (?:node|replica)\b/) ?? (assumed.push("1 replica"), 1);
    if (r.where.nodes || r.where.target) return refuse("impossible", "The built-in planner adds spare nodes of a lab as replicas only.", "Name the lab, or call cluster_add_node with the new node's HOST:PORT and replica.");
    return { family: "add_replicas", count, each: /\b(?:each|every|per)\b/.test(r.text), where: r.where, assumed };
  },
  plan(intent, history, env) {
    const at = whereOrOnlyLab(intent.where, history, "add replicas from its spare nodes", (lab) => `add 1 replica to each master in lab ${lab}`);
    if (!("where" in at)) return at;
    // Placement (cluster_add_node) puts each new replica on the least-replicated master, so "each" spreads.
    return planSpareAdds(at.where.lab!, (rows) => (intent.each ? intent.count * masters(rows).filter((m) => m.slotCount > 0).length : intent.count), "replica", history, env);
  },
  verify: (intent, history) => checkStep(chosenPlace(intent.where, history) ?? intent.where),
});
