/** "Add two read replicas to lab demo": new nodes join as replicas of the masters. */
import { defineFamily, type BaseIntent } from "./family.js";

export interface AddReplicasIntent extends BaseIntent {
  family: "add_replicas";
  count: number;
}

const ADD_REPLICAS = /\b(?:add|attach)\b.*\breplica\b|\bmore replica\b/;

export const addReplicas = defineFamily<AddReplicasIntent>({
  name: "add_replicas",
  doing: "Adding read replicas",
  example: "add 1 replica to each master in lab demo",
  effect: "change",
  tools: ["cluster_add_node", "cluster_check"],
  verbs: ADD_REPLICAS,
  match: (r) => ADD_REPLICAS.test(r.bare),
  extract(r) {
    const assumed: string[] = [];
    const count = r.count(/(\d+) (?:node|replica)\b/) ?? (assumed.push("1 replica"), 1);
    return { family: "add_replicas", count, where: r.where, assumed };
  },
});
