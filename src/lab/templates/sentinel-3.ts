import { buildReplicationSet, LAB_REPLICATION_CONFIG } from "./replication-set.js";
import type { LabTemplate } from "./types.js";

/** The classic "Sentinel with 3 nodes": three boxes (zones), each running a Redis node and a sentinel; node 0 is the master. */
export const sentinel3: LabTemplate = {
  name: "sentinel-3",
  pattern: "Sentinel with 3 nodes: three boxes each run Redis and a sentinel; one master, two replicas, quorum 2.",
  protectsAgainst:
    "Losing any one box: the two remaining sentinels are a majority and promote one of the two replicas; the other replica follows the new master, so a copy remains.",
  doesNotProtectAgainst:
    "Losing two boxes at once (no majority, no failover); unreplicated writes lost in a failover; a partitioned old master keeps accepting writes unless min-replicas-to-write stops it.",
  spec: () => ({ nodes: 3, sentinels: 3, zones: 3, cluster: false, config: LAB_REPLICATION_CONFIG }),
  build: (state, ctx) => buildReplicationSet("sentinel-3", state, ctx, true),
};
