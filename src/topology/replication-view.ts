/**
 * ReplicationView: what every node of a master/replica set says about itself (INFO
 * server / replication / persistence / keyspace, and the settings that decide what a
 * failover loses). Pure data after the read; readReplicationView is the only I/O.
 */
import { errorMessage, MutationNotAllowedError, PilotError, UnreachableError, ValidationError } from "../errors.js";
import { formatAddress, parseAddress } from "../redis/address.js";
import { BadReplyError } from "../redis/bad-reply.js";
import { NodePool, toPilotError } from "../redis/connection.js";
import { keysFromInfo, parseInfo, replicationFromInfo } from "../redis/parse-info.js";
import { parseConfigGet } from "../redis/parse-config.js";
import { PeerBudget } from "./peer-budget.js";
import { socketIp } from "./read-cluster-view.js";
import type { ReplicaLink, ReplicationInfo, UnreachableNode } from "./types.js";

export interface ReplicationSettings {
  minReplicasToWrite?: number;
  minReplicasMaxLag?: number;
  replicaReadOnly?: boolean;
  replicaPriority?: number;
  /** `save` as configured; "" means no RDB snapshots. */
  save?: string;
  appendonly?: boolean;
  /** supervised: no | upstart | systemd | auto. */
  supervised?: string;
}

export interface ReplicationNode {
  address: string;
  /** The IP the address reached. */
  ip?: string;
  zone?: string;
  runId: string;
  replication: ReplicationInfo;
  /** Replica with its link down: seconds since it went down. */
  linkDownSinceSeconds?: number;
  /** master_failover_state (6.2+): no-failover, waiting-for-sync, failover-in-progress. */
  failoverState?: string;
  /** Settings read with CONFIG GET; empty when CONFIG is not allowed. */
  settings: ReplicationSettings;
  /** Persistence as INFO persistence reports it. */
  rdbLastSaveOk?: boolean;
  aofEnabled: boolean;
  loading: boolean;
  keys: number;
  uptimeSeconds: number;
  redisVersion: string;
  clusterEnabled: boolean;
  /** INFO server's config_file: "" when started without one (a role set by REPLICAOF then lives in memory only). */
  configFile?: string;
}

export interface ReplicationView {
  readAt: string;
  nodes: ReplicationNode[];
  unreachable: UnreachableNode[];
  zones?: Record<string, string>;
}

const SETTINGS = ["min-replicas-to-write", "min-replicas-max-lag", "replica-read-only", "replica-priority", "save", "appendonly", "supervised"];

/** Parses one node's replies (INFO text and CONFIG GET list or error); exported for table tests. */
export function replicationNode(address: string, infoText: string, config: unknown, extra: { ip?: string; zone?: string } = {}): ReplicationNode {
  const info = parseInfo(infoText);
  const v = (k: string) => info.server?.values[k] ?? info.replication?.values[k] ?? info.persistence?.values[k] ?? info.cluster?.values[k];
  const c = config === undefined ? {} : parseConfigGet(config);
  const num = (k: string) => (c[k] !== undefined && /^\d+$/.test(c[k]) ? Number(c[k]) : undefined);
  const settings: ReplicationSettings = {
    ...(num("min-replicas-to-write") !== undefined ? { minReplicasToWrite: num("min-replicas-to-write") } : {}),
    ...(num("min-replicas-max-lag") !== undefined ? { minReplicasMaxLag: num("min-replicas-max-lag") } : {}),
    ...(c["replica-read-only"] ? { replicaReadOnly: c["replica-read-only"] === "yes" } : {}),
    ...(num("replica-priority") !== undefined ? { replicaPriority: num("replica-priority") } : {}),
    ...(c.save !== undefined ? { save: c.save } : {}),
    ...(c.appendonly ? { appendonly: c.appendonly === "yes" } : {}),
    ...(c.supervised ? { supervised: c.supervised } : {}),
  };
  const runId = v("run_id");
  if (!runId) throw new BadReplyError("INFO server", "run_id is missing");
  const downSince = v("master_link_down_since_seconds");
  return {
    address,
    ...extra,
    runId,
    replication: replicationFromInfo(info),
    ...(downSince !== undefined && /^\d+$/.test(downSince) ? { linkDownSinceSeconds: Number(downSince) } : {}),
    ...(v("master_failover_state") ? { failoverState: v("master_failover_state") } : {}),
    settings,
    ...(v("rdb_last_bgsave_status") ? { rdbLastSaveOk: v("rdb_last_bgsave_status") === "ok" } : {}),
    aofEnabled: v("aof_enabled") === "1",
    loading: v("loading") === "1",
    keys: keysFromInfo(info),
    uptimeSeconds: Number(v("uptime_in_seconds") ?? 0),
    redisVersion: v("redis_version") ?? "unknown",
    clusterEnabled: v("cluster_enabled") === "1",
    ...(v("config_file") !== undefined ? { configFile: v("config_file")! } : {}),
  };
}

/** Reads one node; errors come back typed (unreachable, auth_failed). */
export async function readReplicationNode(pool: NodePool, address: string, zone?: string): Promise<ReplicationNode> {
  const client = await pool.get(address);
  const replies = await client.pipeline().call("INFO", "server", "replication", "persistence", "keyspace", "cluster").call("CONFIG", "GET", ...SETTINGS).exec();
  if (!replies) throw new BadReplyError("pipeline", `no replies from ${address}`);
  const [[infoErr, infoText], [configErr, config]] = replies;
  if (infoErr) throw toPilotError(address, infoErr, pool.optionsFor(address));
  if (typeof infoText !== "string") throw new BadReplyError("INFO", `non-text reply from ${address}`);
  const ip = socketIp(client.stream?.remoteAddress);
  // CONFIG may be renamed or forbidden (managed services): the view then lacks settings, nothing else.
  return replicationNode(address, infoText, configErr ? undefined : config, { ...(ip ? { ip } : {}), ...(zone ? { zone } : {}) });
}

/** Addresses a node names: its master, and the replicas it lists. */
export function peersOf(node: ReplicationNode): string[] {
  const r = node.replication;
  const out = r.connectedReplicas.map((l) => l.address);
  if (r.role === "replica" && r.masterHost && r.masterPort) out.push(formatAddress({ host: r.masterHost, port: r.masterPort }));
  return out;
}

export interface ReadReplicationViewOptions {
  /** Connections with each node's own credentials (new NodePool(resolved.access)); peers are admitted through pool.access. */
  pool: NodePool;
  zones?: Record<string, string>;
  /** Follow masters and replicas the nodes report. @default true */
  discover?: boolean;
  /** Follow at most this many nodes, seeds included. @default MAX_VIEW_NODES */
  maxNodes?: number;
}

export async function readReplicationView(seeds: string[], opts: ReadReplicationViewOptions): Promise<ReplicationView> {
  if (seeds.length === 0) throw new ValidationError("No node address was given to read replication from.", "Pass at least one HOST:PORT.");
  const { pool } = opts;
  const zones = opts.zones ?? {};
  const seedAddresses = seeds.map((s) => formatAddress(parseAddress(s)));
  const visited = new Set<string>();
  const nodes: ReplicationNode[] = [];
  const unreachable: UnreachableNode[] = [];
  const seedErrors: unknown[] = [];
  const reads: Promise<void>[] = [];
  let refused: MutationNotAllowedError | undefined;
  const budget = new PeerBudget(seedAddresses, unreachable, opts.maxNodes);
  const read = (address: string, isSeed: boolean): void => {
    if (visited.has(address)) return;
    visited.add(address);
    reads.push(
      readReplicationNode(pool, address, zones[address] ?? pool.access.grant(address).zone).then(
        (node) => {
          nodes.push(node);
          if (opts.discover ?? true) for (const p of peersOf(node)) admitPeer(p, address);
        },
        (err) => {
          unreachable.push({ address, error: errorMessage(err) });
          if (isSeed) seedErrors.push(err);
        },
      ),
    );
  };
  // A peer a node reports is admitted (its own credentials, or a refusal) before it is read.
  const admitPeer = (peer: string, via: string): void => {
    if (visited.has(peer) || !budget.take(peer, via)) return;
    reads.push(
      pool.access.admit(peer, via).then(
        (grant) => read(grant.address, false),
        (err) => {
          if (err instanceof MutationNotAllowedError) refused ??= err;
          else unreachable.push({ address: peer, error: errorMessage(err) });
        },
      ),
    );
  };
  for (const s of seedAddresses) read(s, true);
  for (let i = 0; i < reads.length; i++) await reads[i];
  if (refused) throw refused;
  if (nodes.length === 0) {
    const first = seedErrors[0];
    throw first instanceof PilotError ? first : new UnreachableError(seedAddresses[0], errorMessage(first));
  }
  // One server reached under two names: keep the first by run id.
  const seen = new Set<string>();
  const unique = nodes.sort((a, b) => a.address.localeCompare(b.address, undefined, { numeric: true })).filter((n) => !seen.has(n.runId) && seen.add(n.runId));
  return { readAt: new Date().toISOString(), nodes: unique, unreachable, ...(Object.keys(zones).length ? { zones } : {}) };
}

/** The node at host:port (as a replica names its master), by address or by the IP its address reached. */
export function nodeAt(view: ReplicationView, host: string | undefined, port: number | undefined): ReplicationNode | undefined {
  if (!host || !port) return undefined;
  return view.nodes.find((n) => {
    const a = parseAddress(n.address);
    return a.port === port && (a.host === host || n.ip === host);
  });
}

/**
 * The master's INFO line for a replica: same port, and the host the replica's address
 * names or the IP that address reached (the master lists the IP the replica connects from).
 */
export function replicaEntry(master: ReplicationNode, replica: ReplicationNode): ReplicaLink | undefined {
  const port = Number(replica.address.slice(replica.address.lastIndexOf(":") + 1));
  return master.replication.connectedReplicas.find((l) => {
    const lp = Number(l.address.slice(l.address.lastIndexOf(":") + 1));
    const lh = l.address.slice(0, l.address.lastIndexOf(":"));
    return lp === port && (replica.address.startsWith(`${lh}:`) || replica.ip === lh);
  });
}
