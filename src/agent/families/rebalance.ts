/** "Rebalance the cluster": slots spread evenly over the masters (by weight). */
import { defineFamily, type BaseIntent } from "./family.js";

export interface RebalanceIntent extends BaseIntent {
  family: "rebalance";
}

const REBALANCE = /\brebalanc/;

export const rebalance = defineFamily<RebalanceIntent>({
  name: "rebalance",
  doing: "Rebalancing slots",
  example: "rebalance the cluster in lab demo",
  effect: "change",
  tools: ["cluster_rebalance", "cluster_check"],
  verbs: REBALANCE,
  match: (r) => REBALANCE.test(r.bare),
  extract: (r) => ({ family: "rebalance", where: r.where, assumed: [] }),
});
