/** "Add a node to lab demo", "scale out by 2 masters": empty masters join (slots move to them by a reshard or rebalance). */
import { defineFamily, type BaseIntent } from "./family.js";

export interface AddNodeIntent extends BaseIntent {
  family: "add_node";
  count: number;
  role: "master" | "replica";
}

const ADD = /\b(?:add|expand|grow)\b.*\b(?:node|master|shard)\b|\bscale (?:out|up)\b/;

export const addNode = defineFamily<AddNodeIntent>({
  name: "add_node",
  doing: "Adding nodes to a cluster",
  example: "add a node to the cluster in lab demo",
  effect: "change",
  tools: ["cluster_add_node", "cluster_check"],
  verbs: ADD,
  match: (r) => ADD.test(r.bare),
  extract: (r) => ({
    family: "add_node",
    count: r.count(/(\d+) (?:node|master|shard)\b/) ?? 1,
    role: /\breplica\b/.test(r.text) ? "replica" : "master",
    where: r.where,
    assumed: [],
  }),
});
