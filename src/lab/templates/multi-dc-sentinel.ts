import { buildReplicationSet, LAB_REPLICATION_CONFIG } from "./replication-set.js";
import type { LabTemplate } from "./types.js";
import { toolRef } from "../../registry/words.js";

/**
 * Sentinel over 3 datacenters (zones): the master and a local replica in zone 1, one
 * replica in each other zone, one sentinel per zone. Node i goes to zone (i % 3) + 1, so
 * node 0 (the master) and node 3 share zone 1.
 */
export const multiDcSentinel: LabTemplate = {
  name: "multi-dc-sentinel",
  pattern: "Multi-datacenter Sentinel: the master and a local replica in zone 1, a replica in each of zones 2 and 3, one sentinel per zone (quorum 2).",
  protectsAgainst:
    "Losing the master alone (a sentinel majority promotes a replica, the local one if it is best) and losing any one zone, zone 1 included: the two other zones' sentinels are a majority and promote a replica there.",
  doesNotProtectAgainst:
    `Losing two zones (no sentinel majority); unreplicated writes in a failover; a cut-off zone 1 whose master keeps taking writes from clients there until the heal, all of them lost, unless min-replicas-to-write stops it (see ${toolRef("drill_split_brain")}).`,
  spec: () => ({ nodes: 4, sentinels: 3, zones: 3, cluster: false, config: LAB_REPLICATION_CONFIG }),
  build: (state, ctx) => buildReplicationSet("multi-dc-sentinel", state, ctx, true),
};
