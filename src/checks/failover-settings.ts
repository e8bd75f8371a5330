/**
 * Failover settings that leave a cluster unable to fail over, or failing over on a
 * hiccup: replicas with cluster-replica-no-failover yes, cluster-node-timeout that
 * differs between nodes (a node far below the others' value suspects its peers first),
 * and a node timeout so low that a short pause marks a node failed. `cluster create`
 * lowers both while it builds and restores them; a build killed with SIGKILL leaves them
 * lowered, which buildSettingsFindings (src/ops/cluster-create/settings-journal.ts)
 * names with its journal. Pure: the view's CONFIG GET values in, findings out.
 */
import { toolRef } from "../registry/words.js";
import type { ClusterView } from "../topology/types.js";
import type { Finding } from "./finding.js";
import { listNames } from "./names.js";

/** Below this a stop-the-world pause (fork, swap, a busy VM) already marks a node failed. */
export const LOW_NODE_TIMEOUT_MS = 1000;

export function checkFailoverSettings(view: ClusterView): Finding[] {
  const findings: Finding[] = [];
  const read = view.nodes.filter((n) => n.failover);
  const noFailover = read.filter((n) => n.failover?.replicaNoFailover && n.self.role === "replica").map((n) => n.address);
  if (noFailover.length) {
    findings.push({
      severity: "warning",
      code: "replica_failover_disabled",
      message: `cluster-replica-no-failover is yes on ${listNames(noFailover)}: when their master fails, ${noFailover.length === 1 ? "it does" : "they do"} not take over.`,
      next: `Unless that is on purpose, run CONFIG SET cluster-replica-no-failover no on ${noFailover.length === 1 ? "it" : "each"} (and in redis.conf); after an interrupted cluster create, ${toolRef("cluster_fix")} restores it.`,
      ...(noFailover.length === 1 ? { node: noFailover[0] } : {}),
    });
  }
  const byTimeout = new Map<number, string[]>();
  for (const n of read) {
    const t = n.failover?.nodeTimeoutMs;
    if (t !== undefined) byTimeout.set(t, [...(byTimeout.get(t) ?? []), n.address]);
  }
  if (byTimeout.size > 1) {
    // The cluster's own value: the one most nodes have (the highest on a tie).
    const [own] = [...byTimeout].sort((a, b) => b[1].length - a[1].length || b[0] - a[0])[0];
    const others = [...byTimeout].filter(([t]) => t !== own).sort((a, b) => a[0] - b[0]);
    findings.push({
      severity: "warning",
      code: "node_timeout_inconsistent",
      message: `cluster-node-timeout differs between nodes: ${own} ms on ${byTimeout.get(own)!.length} node(s), ${others.map(([t, a]) => `${t} ms on ${listNames(a)}`).join(", ")}.`,
      next: `Set the same value on every node (CONFIG SET cluster-node-timeout ${own}, and in redis.conf); after an interrupted cluster create, ${toolRef("cluster_fix")} restores it.`,
    });
  }
  const low = read.filter((n) => (n.failover?.nodeTimeoutMs ?? Infinity) < LOW_NODE_TIMEOUT_MS).map((n) => n.address);
  if (low.length && byTimeout.size === 1) {
    findings.push({
      severity: "warning",
      code: "node_timeout_low",
      message: `cluster-node-timeout is ${read[0].failover?.nodeTimeoutMs} ms on every node: a pause that short marks a node failed and starts a failover.`,
      next: `Raise it (CONFIG SET cluster-node-timeout 15000 is the default, and in redis.conf) unless this is a test cluster; after an interrupted cluster create, ${toolRef("cluster_fix")} restores it.`,
    });
  }
  return findings;
}
