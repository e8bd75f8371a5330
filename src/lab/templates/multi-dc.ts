import { buildZonedCluster } from "./zoned-cluster.js";
import type { LabTemplate } from "./types.js";
import { toolRef } from "../../registry/words.js";

const ZONES = 3;

/** A Redis Cluster over 3 datacenters (zones): one master per zone, each master's replicas in the other zones. */
export const multiDc: LabTemplate = {
  name: "multi-dc",
  pattern: "Multi-datacenter Redis Cluster: 3 zones, one master per zone, each master's replicas in the other zones (2 per master by default).",
  protectsAgainst:
    "Losing a whole zone: the other two hold 2 of 3 masters (a majority), promote the lost master's replica in another zone, and every shard keeps a master and, with 2 replicas, a replica.",
  doesNotProtectAgainst:
    `Losing two zones (no majority of masters, no failover); writes the lost zone's master acknowledged but had not replicated; a cut-off master keeps taking writes for up to cluster-node-timeout (min-replicas-to-write shortens that; see ${toolRef("drill_split_brain")}); cross-zone latency on every write's replication.`,
  spec: (o) => ({ nodes: ZONES * (1 + (o.replicas ?? 2)), zones: ZONES, cluster: true, config: { "repl-diskless-sync-delay": "0" } }),
  build: (state, ctx) => buildZonedCluster("multi-dc", state, ctx, state.nodes.length / ZONES - 1),
};
