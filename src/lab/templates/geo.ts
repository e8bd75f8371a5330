import { buildZonedCluster } from "./zoned-cluster.js";
import type { LabTemplate } from "./types.js";

const ZONES = 5;

/** A geo-distributed Redis Cluster: 5 regions (zones), one master per region, each master's replica in another region. */
export const geo: LabTemplate = {
  name: "geo",
  pattern: "Geo-distributed Redis Cluster: 5 zones (regions), one master per zone, each master's replica in another zone (1 per master by default).",
  protectsAgainst:
    "Losing any one or two regions: 3 of 5 masters remain a majority and promote the lost masters' replicas elsewhere, as long as no master lost its replica in the same failure.",
  doesNotProtectAgainst:
    "Losing three regions (no majority); a master and its only replica lost together; writes not yet replicated across regions; a cut-off region's master taking writes until cluster-node-timeout; latency between far regions on every replication and failover.",
  spec: (o) => ({ nodes: ZONES * (1 + (o.replicas ?? 1)), zones: ZONES, cluster: true, config: { "repl-diskless-sync-delay": "0" } }),
  build: (state, ctx) => buildZonedCluster("geo", state, ctx, state.nodes.length / ZONES - 1),
};
