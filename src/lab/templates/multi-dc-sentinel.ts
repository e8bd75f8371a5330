import { buildReplicationSet, LAB_REPLICATION_CONFIG } from "./replication-set.js";
import type { LabTemplate } from "./types.js";
import { toolRef } from "../../registry/words.js";

/** Data nodes per zone: the master's zone holds it and one local replica, the others two replicas each. */
export const MULTI_DC_SENTINEL_PER_ZONE = 2;

/**
 * Sentinel over 3 datacenters (zones), two data nodes per zone: the master and a local
 * replica in zone 1, two replicas in each other zone, one sentinel per zone. Node i goes
 * to zone (i % 3) + 1, so node 0 (the master) and node 3 share zone 1.
 *
 * min-replicas-to-write counts every replica, the local one too: with 1, a master cut off
 * together with its zone still has its local replica and keeps acknowledging writes that
 * the heal throws away (measured in docs/docker-lab.md). It must exceed the replicas a
 * zone can hold besides the master, so the template sets it to the nodes per zone (2).
 * Two per zone everywhere keeps that true after any failover, and leaves the other two
 * zones 4 nodes: a promoted master there still has 3 replicas and takes writes.
 */
export const multiDcSentinel: LabTemplate = {
  name: "multi-dc-sentinel",
  pattern:
    "Multi-datacenter Sentinel: the master and a local replica in zone 1, two replicas in each of zones 2 and 3, one sentinel per zone (quorum 2); min-replicas-to-write 2, so a master cut off with its zone stops taking writes.",
  protectsAgainst:
    "Losing the master alone (a sentinel majority promotes a replica, the local one if it is best) and losing or cutting off any one zone, zone 1 included: the two other zones' sentinels are a majority and promote a replica there, which keeps 3 replicas and takes writes; a master cut off with its zone keeps only its local replica, fewer than min-replicas-to-write 2, and refuses writes once the others' acknowledgments are older than min-replicas-max-lag (10 s).",
  doesNotProtectAgainst:
    `Losing two zones (no sentinel majority, and no master can reach 2 replicas); unreplicated writes in a failover; writes a cut-off master acknowledged in the first min-replicas-max-lag seconds of the cut, lost at the heal (${toolRef("drill_split_brain")} with layout multi-dc-sentinel measures them).`,
  spec: () => ({
    nodes: 3 * MULTI_DC_SENTINEL_PER_ZONE,
    sentinels: 3,
    zones: 3,
    cluster: false,
    config: { ...LAB_REPLICATION_CONFIG, "min-replicas-to-write": String(MULTI_DC_SENTINEL_PER_ZONE), "min-replicas-max-lag": "10" },
  }),
  // After a failover the new master takes writes only once 2 replicas follow it: the
  // sentinels repoint every replica at once (parallel-syncs one at a time waited on the
  // cut-off zone's unreachable replica for the failover timeout, measured ~6 s unwritable).
  build: (state, ctx) => buildReplicationSet("multi-dc-sentinel", state, ctx, true, { parallelSyncs: state.nodes.length - 1 }),
};
