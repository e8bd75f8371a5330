/** "Fail over the master in lab demo", "promote the replica at HOST:PORT": a replica takes over its master's slots. */
import { defineFamily, type BaseIntent } from "./family.js";

export interface FailoverIntent extends BaseIntent {
  family: "failover";
  /** Masters to fail over (default 1). */
  count: number;
}

const FAILOVER = /\b(?:failover|promote|takeover|switchover)\b/;

export const failover = defineFamily<FailoverIntent>({
  name: "failover",
  doing: "Failing over a master",
  example: "fail over the master in lab demo",
  effect: "change",
  tools: ["cluster_failover", "cluster_check"],
  verbs: FAILOVER,
  match: (r) => FAILOVER.test(r.bare),
  extract: (r) => ({ family: "failover", count: r.count(/(\d+) (?:node|master|replica|shard)\b/) ?? 1, where: r.where, assumed: [] }),
});
