/** Replica checks: enough replicas per master, links up and close behind, placed away from their master. */
import { parseAddress } from "../redis/address.js";
import type { ClusterView, NodeView } from "../topology/types.js";
import type { Finding } from "./finding.js";
import { clusterMembers, isUp, memberHealth, replicasOf, slotOwners, type Member } from "../topology/members.js";
import { shortRanges } from "./slot-checks.js";

export const DEFAULT_MAX_LAG_BYTES = 1024 * 1024;
/**
 * A master pings its replicas every repl-ping-replica-period (10 s by default), so a
 * replica with its link up hears something at least that often; longer is a stall.
 */
export const DEFAULT_MAX_SILENT_SECONDS = 10;

/**
 * Every slot-owning master has the wanted number of working replicas. Without a wanted
 * number, a master with no replica at all is a warning: losing it loses its slots.
 */
export function checkReplicaCount(view: ClusterView, wanted: number | undefined): Finding[] {
  const members = clusterMembers(view);
  const findings: Finding[] = [];
  for (const master of slotOwners(members)) {
    const replicas = replicasOf(members, master.id).filter((r) => isUp(memberHealth(r, view)));
    const slots = shortRanges(master.entry.slots, 3);
    const next = `Add a replica: run CLUSTER REPLICATE ${master.id} on an empty cluster node (or redis-cli --cluster add-node --cluster-slave).`;
    if (wanted !== undefined && replicas.length < wanted) {
      findings.push({
        severity: "error",
        code: "replicas_missing",
        message: `Master ${master.address} (slots ${slots}) has ${replicas.length} of ${wanted} wanted replicas.`,
        next,
        node: master.address,
      });
    } else if (wanted === undefined && replicas.length === 0) {
      findings.push({
        severity: "warning",
        code: "master_without_replica",
        message: `Master ${master.address} (slots ${slots}) has no working replica: losing it loses those slots.`,
        next,
        node: master.address,
      });
    }
  }
  return findings;
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

function sameAddress(node: NodeView, host: string | undefined, port: number | undefined): boolean {
  const a = parseAddress(node.address);
  return a.host === host && a.port === port;
}

/**
 * Replication as the replicas report it (INFO replication): link up, not silent, small
 * lag, the master CLUSTER NODES names.
 */
export function checkReplicationLinks(view: ClusterView, maxLagBytes = DEFAULT_MAX_LAG_BYTES, maxSilentSeconds = DEFAULT_MAX_SILENT_SECONDS): Finding[] {
  const findings: Finding[] = [];
  for (const node of view.nodes) {
    const r = node.replication;
    if (r.role !== "replica") continue;
    const masterAddress = `${r.masterHost}:${r.masterPort}`;
    if (r.masterLinkStatus !== "up") {
      findings.push({
        severity: "error",
        code: "replica_link_down",
        message: `Replica ${node.address}: link to master ${masterAddress} is down${r.masterSyncInProgress ? " (full sync in progress)" : ""}.`,
        next: "Check that the master is reachable from the replica and that masterauth matches; a full sync of a large dataset takes a while.",
        node: node.address,
      });
      continue;
    }
    // Offsets only compare what both sides say now; a master that stopped sending shows as silence.
    const silent = r.masterLastIoSecondsAgo;
    if (silent !== undefined && silent > maxSilentSeconds) {
      findings.push({
        severity: "warning",
        code: "replica_link_silent",
        message: `Replica ${node.address}: link to master ${masterAddress} is up but silent for ${silent} s (limit ${maxSilentSeconds} s).`,
        next: "The master pings replicas every repl-ping-replica-period (10 s); check the master's load and the network between them. The replica drops the link after repl-timeout (60 s).",
        node: node.address,
      });
    }
    const named = node.self.masterId ? view.nodes.find((n) => n.self.id === node.self.masterId) : undefined;
    if (named && !sameAddress(named, r.masterHost, r.masterPort)) {
      findings.push({
        severity: "warning",
        code: "replica_master_mismatch",
        message: `Replica ${node.address} replicates from ${masterAddress}, but CLUSTER NODES names ${named.address} as its master.`,
        next: "Usually gone within seconds after CLUSTER REPLICATE or a failover; if it stays, run CLUSTER REPLICATE on the replica again.",
        node: node.address,
      });
      continue;
    }
    const master = named ?? view.nodes.find((n) => sameAddress(n, r.masterHost, r.masterPort));
    if (!master || master.replication.role !== "master") continue;
    const lag = master.replication.offset - r.offset;
    if (lag > maxLagBytes) {
      findings.push({
        severity: "warning",
        code: "replica_lagging",
        message: `Replica ${node.address} is ${mib(lag)} behind its master ${master.address} (limit ${mib(maxLagBytes)}).`,
        next: "Check the replica's load and network; a lagging replica loses more acknowledged writes in a failover.",
        node: node.address,
      });
    }
  }
  return findings;
}

/**
 * Anti-affinity: a replica on its master's host (or, where zones are known, in its
 * master's zone) dies with it. Only judged when there is somewhere else to go.
 */
export function checkPlacement(view: ClusterView): Finding[] {
  const members = clusterMembers(view);
  const all = [...members.values()];
  // The IP we reached a node at, else the one its peers list: one host however it was written.
  const hostOf = (m: Member) => m.node?.ip ?? (m.entry.host || parseAddress(m.address).host);
  // A node we could not read keeps the zone it was given by address.
  const zoneOf = (m: Member) => m.node?.zone ?? view.zones?.[m.address];
  const hosts = new Set(all.filter((m) => m.entry.port > 0).map(hostOf));
  const zones = new Set(all.map(zoneOf).filter((z) => z !== undefined));
  const findings: Finding[] = [];
  if (hosts.size === 1 && all.length > 1) {
    findings.push({
      severity: "info",
      code: "single_host",
      message: `All ${all.length} nodes run on one host (${[...hosts][0]}): a host failure takes the whole cluster down.`,
      next: "Fine for a lab; in production spread masters and replicas across hosts.",
    });
  }
  for (const replica of all) {
    if (replica.entry.role !== "replica" || !replica.entry.masterId) continue;
    const master = members.get(replica.entry.masterId);
    if (!master) continue;
    if (hosts.size > 1 && hostOf(replica) === hostOf(master)) {
      findings.push({
        severity: "warning",
        code: "replica_same_host",
        message: `Replica ${replica.address} is on the same host (${hostOf(master)}) as its master ${master.address}.`,
        next: `Move it: on a replica on another host run CLUSTER REPLICATE ${master.id}, and point ${replica.address} at a master elsewhere.`,
        node: replica.address,
      });
    }
    const zone = zoneOf(replica);
    if (zones.size > 1 && zone !== undefined && zone === zoneOf(master)) {
      findings.push({
        severity: "warning",
        code: "replica_same_zone",
        message: `Replica ${replica.address} is in zone ${zone} with its master ${master.address}: losing ${zone} loses both.`,
        next: `Move it: give ${master.address} a replica in another zone (CLUSTER REPLICATE ${master.id} there) and point ${replica.address} at a master in another zone.`,
        node: replica.address,
      });
    }
  }
  return findings;
}
