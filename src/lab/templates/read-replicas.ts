import { buildReplicationSet, LAB_REPLICATION_CONFIG } from "./replication-set.js";
import type { LabTemplate } from "./types.js";
import { toolRef } from "../../registry/words.js";

/** 1 master + N replicas (default 2), no sentinels: reads spread over the replicas. */
export const readReplicas: LabTemplate = {
  name: "read-replicas",
  pattern: "Read replicas: one master takes the writes, N replicas serve reads (read scaling).",
  protectsAgainst:
    "Read load on the master: reads spread over the replicas. Each replica is a full copy, so losing the master loses no more than the replication lag, " +
    `and a replica can be promoted by hand (${toolRef("replication_promote")}).`,
  doesNotProtectAgainst:
    "No automatic failover (no sentinels: promoting is an operator's step); reads from replicas are stale by the replication lag, so read-your-writes needs the master.",
  spec: (o) => ({ nodes: 1 + (o.replicas ?? 2), sentinels: 0, zones: 1, cluster: false, config: LAB_REPLICATION_CONFIG }),
  build: (state, ctx) => buildReplicationSet("read-replicas", state, ctx, false),
};
