/**
 * The build step templates share: node 0 becomes the master, the named nodes its
 * replicas (replication attach), and, when asked, every sentinel of the lab monitors it
 * (sentinel monitor). Both ops verify themselves, so a template that returns is verified.
 */
import { attachReplicas } from "../../ops/replication/attach.js";
import { monitorMaster } from "../../ops/sentinel/monitor.js";
import type { OpContext } from "../../ops/progress.js";
import { formatAddress } from "../../redis/address.js";
import { uniformAccess } from "../../redis/node-access.js";
import type { LabState, LabTopology } from "../types.js";

/**
 * redis.conf for template nodes: a replica's first full sync starts at once instead of
 * after repl-diskless-sync-delay (5 s by default, to batch replicas on busy servers).
 */
export const LAB_REPLICATION_CONFIG = { "repl-diskless-sync-delay": "0" };

/** The lab's sentinels watch with these: down-after 1 s so drills see failovers in seconds. */
export const LAB_SENTINEL_SETTINGS = { name: "mymaster", downAfterMs: 1000, failoverTimeoutMs: 10_000, parallelSyncs: 1 };

export async function buildReplicationSet(
  template: string,
  state: LabState,
  ctx: OpContext,
  withSentinels: boolean,
  sentinelSettings: Partial<typeof LAB_SENTINEL_SETTINGS> = {},
): Promise<LabTopology> {
  // The lab's own start-up: it owns every process it names, so one credential for all.
  const access = uniformAccess({ password: state.password }, true);
  const zones = Object.fromEntries([...state.nodes, ...(state.sentinels ?? [])].map((n) => [formatAddress(n), n.zone]));
  const [master, ...replicas] = state.nodes.map((n) => formatAddress(n));
  if (replicas.length) await attachReplicas({ master, replicas, access, zones }, ctx);
  const sentinels = (state.sentinels ?? []).map((s) => formatAddress(s));
  if (withSentinels && sentinels.length) {
    const quorum = Math.floor(sentinels.length / 2) + 1;
    await monitorMaster({ ...LAB_SENTINEL_SETTINGS, ...sentinelSettings, sentinels, master, quorum, access, zones }, ctx);
  }
  return {
    template,
    master,
    replicas,
    ...(withSentinels && sentinels.length ? { sentinelMaster: LAB_SENTINEL_SETTINGS.name } : {}),
    roles: Object.fromEntries([[master, "master"], ...replicas.map((r) => [r, "replica"])]),
  };
}
