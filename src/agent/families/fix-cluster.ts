/** "Fix the cluster in lab demo", "repair open slots": open slots closed, uncovered slots assigned. */
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
});
