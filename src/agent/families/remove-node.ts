/** "Remove a node from the cluster", "decommission node HOST:PORT", "scale in": nodes leave (their slots move first). */
import { defineFamily, type BaseIntent } from "./family.js";

export interface RemoveNodeIntent extends BaseIntent {
  family: "remove_node";
  count: number;
}

const REMOVE = /\b(?:remove|delete|del|drop|decommission|retire|evict)\b.*\b(?:node|master|replica|shard)\b|\bscale (?:in|down)\b|\bshrink\b/;

export const removeNode = defineFamily<RemoveNodeIntent>({
  name: "remove_node",
  doing: "Removing nodes from a cluster",
  example: "remove a node from the cluster in lab demo",
  effect: "change",
  tools: ["cluster_del_node", "cluster_check"],
  verbs: REMOVE,
  match: (r) => REMOVE.test(r.bare),
  extract: (r) => ({ family: "remove_node", count: r.count(/(\d+) (?:node|master|replica|shard)\b/) ?? 1, where: r.where, assumed: [] }),
});
