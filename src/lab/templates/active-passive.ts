import { buildReplicationSet, LAB_REPLICATION_CONFIG } from "./replication-set.js";
import type { LabTemplate } from "./types.js";

/** 1 master + 1 replica, 3 sentinels: the master in zone 1, the replica in zone 2, one sentinel per zone. */
export const activePassive: LabTemplate = {
  name: "active-passive",
  pattern: "Active-passive with automatic failover: one master serves, one replica stands by, three sentinels decide.",
  protectsAgainst:
    "Losing the master's process or host: the sentinels promote the replica on their own (about down-after-milliseconds plus a second). " +
    "With one sentinel per zone, losing any one zone leaves a majority (2 of 3) to authorize the failover.",
  doesNotProtectAgainst:
    "Writes the master acknowledged but had not replicated are lost in a failover (replication is asynchronous); " +
    "a second failure before the old master returns as a replica leaves no copy; reads do not scale.",
  spec: () => ({ nodes: 2, sentinels: 3, zones: 3, cluster: false, config: LAB_REPLICATION_CONFIG }),
  build: (state, ctx) => buildReplicationSet("active-passive", state, ctx, true),
};
