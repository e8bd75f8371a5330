/**
 * Reading the cluster before and while changing it: one pool per operation (per-node
 * credentials from the call's NodeAccess; every discovered peer admitted before it is
 * touched), the view and its ClusterMap, and the stability gate. A migration starts only
 * when every node answers, none is failing, all agree on the slot map and no slot is
 * open; disagreement right after a change (gossip still spreading) is waited out briefly.
 */
import { checkCluster } from "../../checks/cluster-checks.js";
import type { Finding } from "../../checks/finding.js";
import { checkClusterState, checkMembershipAgreement, checkNodeFlags, checkUnreachable } from "../../checks/node-checks.js";
import { checkOpenSlots, checkSlotAgreement, checkSlotCoverage } from "../../checks/slot-checks.js";
import type { NodePool } from "../../redis/connection.js";
import type { NodeAccess } from "../../redis/node-access.js";
import { readClusterView } from "../../topology/read-cluster-view.js";
import type { ClusterView } from "../../topology/types.js";
import { clusterMap, type ClusterMap } from "./cluster-map.js";
import { ClusterNotStableError } from "./errors.js";

export interface ClusterTarget {
  addresses: string[];
  access: NodeAccess;
  zones?: Record<string, string>;
}

export interface Snapshot {
  view: ClusterView;
  map: ClusterMap;
}

export async function readSnapshot(pool: NodePool, target: ClusterTarget): Promise<Snapshot> {
  const view = await readClusterView(target.addresses, { pool, zones: target.zones });
  return { view, map: clusterMap(view) };
}

/** Findings that forbid moving slots now (errors only). */
export function stabilityFindings(view: ClusterView): Finding[] {
  return [
    ...checkUnreachable(view),
    ...checkNodeFlags(view),
    ...checkOpenSlots(view),
    ...checkSlotCoverage(view),
    ...checkSlotAgreement(view),
    ...checkMembershipAgreement(view),
    ...checkClusterState(view),
  ].filter((f) => f.severity === "error");
}

/** Codes that gossip clears by itself within a moment of a change. */
const TRANSIENT = new Set(["slot_map_disagreement", "node_unknown_peers", "cluster_state_fail"]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads until the cluster is stable, for at most waitMs when only transient findings
 * stand in the way; throws ClusterNotStableError (with every finding) otherwise.
 */
export async function stableSnapshot(pool: NodePool, target: ClusterTarget, waitMs = 5000, first?: Snapshot): Promise<Snapshot> {
  const deadline = Date.now() + waitMs;
  let snap = first ?? (await readSnapshot(pool, target));
  for (;;) {
    const findings = stabilityFindings(snap.view);
    if (findings.length === 0) return snap;
    if (!findings.every((f) => TRANSIENT.has(f.code)) || Date.now() >= deadline) {
      throw new ClusterNotStableError(`The cluster is not ready to move slots: ${findings[0].message}${findings.length > 1 ? ` (and ${findings.length - 1} more finding${findings.length > 2 ? "s" : ""})` : ""}`, findings);
    }
    await sleep(50);
    snap = await readSnapshot(pool, target);
  }
}

/**
 * Re-reads until every cluster check passes (a new replica's first sync, a flag set while
 * a node was busy, roles spreading by gossip) or the deadline; returns the last read and
 * its findings, errors included when the deadline came first.
 */
export async function settledFindings(pool: NodePool, target: ClusterTarget, deadline: number, accept: (f: Finding) => boolean = () => false): Promise<{ view: ClusterView; findings: Finding[] }> {
  for (;;) {
    const { view } = await readSnapshot(pool, target);
    const findings = checkCluster(view);
    if (!findings.some((f) => f.severity === "error" && !accept(f)) || Date.now() >= deadline) return { view, findings: findings.filter((f) => !accept(f)) };
    await sleep(50);
  }
}
