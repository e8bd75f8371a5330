/**
 * One row per node of a ReplicationView, as the replication tools show it: role, the
 * master a replica follows and its link, offset, lag, keys and cluster mode. Pure: view
 * in, rows out (replication_info and replication_check print the same rows).
 */
import { replicaLags } from "../checks/replication-checks.js";
import type { ReplicationView } from "./replication-view.js";

export interface ReplicationRow {
  address: string;
  zone?: string;
  role: "master" | "replica";
  /** A replica's master, HOST:PORT as the replica names it. */
  master?: string;
  link?: "up" | "down";
  /** Seconds the link has been down. */
  linkDownSeconds?: number;
  offset: number;
  lagBytes?: number;
  lagSeconds?: number;
  /** A master's replicas as it lists them (HOST:PORT). */
  replicas?: string[];
  keys: number;
  minReplicasToWrite?: number;
  clusterEnabled: boolean;
}

export function replicationRows(view: ReplicationView): ReplicationRow[] {
  const lags = new Map(replicaLags(view).map((l) => [l.replica, l]));
  return view.nodes.map((n) => {
    const r = n.replication;
    const lag = lags.get(n.address) ?? [...lags.values()].find((l) => n.ip && l.replica === `${n.ip}:${n.address.split(":").pop()}`);
    return {
      address: n.address,
      ...(n.zone ? { zone: n.zone } : {}),
      role: r.role,
      ...(r.role === "replica" ? { master: `${r.masterHost}:${r.masterPort}`, link: r.masterLinkStatus } : {}),
      ...(n.linkDownSinceSeconds !== undefined && r.masterLinkStatus === "down" ? { linkDownSeconds: n.linkDownSinceSeconds } : {}),
      offset: r.offset,
      ...(lag ? { lagBytes: lag.bytes, lagSeconds: lag.seconds } : {}),
      ...(r.role === "master" ? { replicas: r.connectedReplicas.map((c) => c.address) } : {}),
      keys: n.keys,
      ...(n.settings.minReplicasToWrite !== undefined ? { minReplicasToWrite: n.settings.minReplicasToWrite } : {}),
      clusterEnabled: n.clusterEnabled,
    };
  });
}
