/**
 * All cluster checks over one ClusterView: pure, view in, findings out (errors first).
 * Catches what `redis-cli --cluster check` skips: failed and suspected nodes,
 * replication links, silence and lag, config epochs, replica placement by host and zone.
 */
import type { ClusterView } from "../topology/types.js";
import type { Finding, Severity } from "./finding.js";
import {
  checkClusterState,
  checkConfigEpochs,
  checkMembershipAgreement,
  checkNodeCount,
  checkNodeFlags,
  checkUnreachable,
} from "./node-checks.js";
import { DEFAULT_MAX_LAG_BYTES, DEFAULT_MAX_SILENT_SECONDS, checkPlacement, checkReplicaCount, checkReplicationLinks } from "./replica-checks.js";
import { checkOpenSlots, checkSlotAgreement, checkSlotCoverage } from "./slot-checks.js";
import { checkFailoverSettings } from "./failover-settings.js";

export interface ClusterCheckOptions {
  /** Wanted replicas per slot-owning master; fewer is an error. */
  replicasPerMaster?: number;
  /** Replication offset difference above which a replica counts as lagging. @default 1 MiB */
  maxLagBytes?: number;
  /** Seconds a replica with its link up may go without hearing from its master. @default 10 */
  maxSilentSeconds?: number;
  /** Wanted number of cluster members. */
  expectedNodes?: number;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function checkCluster(view: ClusterView, opts: ClusterCheckOptions = {}): Finding[] {
  const findings = [
    ...checkUnreachable(view),
    ...checkNodeFlags(view),
    ...checkClusterState(view),
    ...checkSlotCoverage(view),
    ...checkSlotAgreement(view),
    ...checkOpenSlots(view),
    ...checkMembershipAgreement(view),
    ...checkConfigEpochs(view),
    ...checkNodeCount(view, opts.expectedNodes),
    ...checkReplicaCount(view, opts.replicasPerMaster),
    ...checkReplicationLinks(view, opts.maxLagBytes ?? DEFAULT_MAX_LAG_BYTES, opts.maxSilentSeconds ?? DEFAULT_MAX_SILENT_SECONDS),
    ...checkPlacement(view),
    ...checkFailoverSettings(view),
  ];
  // Stable sort: errors first, each group in check order.
  return findings.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

export {
  checkClusterState,
  checkConfigEpochs,
  checkMembershipAgreement,
  checkNodeCount,
  checkNodeFlags,
  checkOpenSlots,
  checkPlacement,
  checkReplicaCount,
  checkReplicationLinks,
  checkSlotAgreement,
  checkSlotCoverage,
  checkUnreachable,
};
