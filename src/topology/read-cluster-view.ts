/**
 * Reads a ClusterView: every node's own CLUSTER NODES, CLUSTER INFO and INFO
 * replication/keyspace, all nodes concurrently, one pipeline (one round trip) per node.
 * Called in polling loops, so it reuses a NodePool when given one. One bad node never
 * fails the read: it lands in `unreachable`; only "no seed answered" throws, and a peer
 * the access refuses (a mutating call reaching a node it may not change), which stops
 * the read before that peer is touched.
 */
import { MutationNotAllowedError, NotClusterEnabledError, PilotError, UnreachableError, ValidationError, errorMessage } from "../errors.js";
import { formatAddress, parseAddress } from "../redis/address.js";
import { BadReplyError } from "../redis/bad-reply.js";
import { NodePool, toPilotError } from "../redis/connection.js";
import type { NodeAccess, NodeGrant } from "../redis/node-access.js";
import { parseClusterNodes } from "../redis/parse-cluster-nodes.js";
import { parseConfigGet } from "../redis/parse-config.js";
import { keysFromInfo, parseClusterInfo, replicationFromInfo } from "../redis/parse-info.js";
import type { ClusterNodeEntry, ClusterView, NodeView, UnreachableNode } from "./types.js";
import { PeerBudget } from "./peer-budget.js";

export { MAX_VIEW_NODES } from "./peer-budget.js";

export interface ReadClusterViewOptions {
  /** Credentials per node and the admission of discovered peers (from ctx.targets.resolve); default: the pool's. */
  access?: NodeAccess;
  /** address -> zone label; a node not listed here takes the zone its grant carries. */
  zones?: Record<string, string>;
  /** Follow the peers each node lists in CLUSTER NODES. @default true */
  discover?: boolean;
  /** Per-command and connect timeout for every node, overriding the target's (ignored with a pool: set it there). */
  timeoutMs?: number;
  /** Reuse connections across reads (polling loops); closed by its owner, not here. */
  pool?: NodePool;
  /** Follow at most this many nodes, seeds included. @default MAX_VIEW_NODES */
  maxNodes?: number;
}

async function readNode(pool: NodePool, address: string, zone: string | undefined): Promise<NodeView> {
  const client = await pool.get(address);
  const replies = await client
    .pipeline()
    .call("CLUSTER", "NODES")
    .call("CLUSTER", "INFO")
    .info("replication")
    .info("keyspace")
    .call("CONFIG", "GET", ...FAILOVER_SETTINGS)
    .exec();
  if (!replies) throw new BadReplyError("pipeline", `no replies from ${address}`);
  const texts = replies.slice(0, 4).map(([err, value]) => {
    if (err) {
      if (/cluster support disabled/i.test(err.message)) throw new NotClusterEnabledError(address);
      throw toPilotError(address, err, pool.optionsFor(address));
    }
    if (typeof value !== "string") throw new BadReplyError("CLUSTER NODES/INFO", `non-text reply from ${address}`);
    return value;
  });
  const peers = parseClusterNodes(texts[0]);
  const self = peers.find((p) => p.flags.includes("myself"));
  if (!self) throw new BadReplyError("CLUSTER NODES", `no line of ${address} carries the myself flag`);
  const info = parseClusterInfo(texts[1]);
  const ip = socketIp(client.stream?.remoteAddress);
  return {
    address,
    ...(ip ? { ip } : {}),
    ...(zone !== undefined ? { zone } : {}),
    self,
    peers,
    clusterState: info.state,
    currentEpoch: info.currentEpoch,
    knownNodes: info.knownNodes,
    slotsAssigned: info.slotsAssigned,
    replication: replicationFromInfo(texts[2]),
    keys: keysFromInfo(texts[3]),
    ...failoverSettings(replies[4]),
  };
}

/** The settings that decide failover (src/checks/failover-settings.ts reads them). */
const FAILOVER_SETTINGS = ["cluster-node-timeout", "cluster-replica-no-failover"] as const;

/** CONFIG GET's reply as failover settings; none when CONFIG is refused (ACL, a renamed command). */
function failoverSettings(reply: [Error | null, unknown] | undefined): Pick<NodeView, "failover"> {
  if (!reply || reply[0]) return {};
  try {
    const v = parseConfigGet(reply[1]);
    const timeout = Number(v["cluster-node-timeout"]);
    return {
      failover: {
        ...(Number.isFinite(timeout) && v["cluster-node-timeout"] !== undefined ? { nodeTimeoutMs: timeout } : {}),
        ...(v["cluster-replica-no-failover"] !== undefined ? { replicaNoFailover: v["cluster-replica-no-failover"] === "yes" } : {}),
      },
    };
  } catch {
    return {};
  }
}

/** The peer IP of a socket, without the IPv4-mapped prefix ("::ffff:127.0.0.1"). */
export function socketIp(remote: string | undefined): string | undefined {
  return remote?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1") || undefined;
}

/** Peers worth reading: they have an address and are past the handshake. */
function peerAddress(p: ClusterNodeEntry): string | undefined {
  if (p.port === 0 || p.host === "" || p.flags.includes("handshake") || p.flags.includes("noaddr")) return undefined;
  return formatAddress({ host: p.host, port: p.port });
}

function byAddress(a: { address: string }, b: { address: string }): number {
  const x = parseAddress(a.address);
  const y = parseAddress(b.address);
  return x.host === y.host ? x.port - y.port : x.host < y.host ? -1 : 1;
}

export async function readClusterView(seeds: string[], opts: ReadClusterViewOptions): Promise<ClusterView> {
  if (seeds.length === 0) throw new ValidationError("No node address was given to read the cluster from.", "Pass at least one HOST:PORT.");
  const access = opts.access ?? opts.pool?.access;
  if (!access) throw new Error("readClusterView needs the call's NodeAccess (or a NodePool built on it)");
  const pool = opts.pool ?? new NodePool(access, { connectTimeoutMs: opts.timeoutMs, commandTimeoutMs: opts.timeoutMs });
  const discover = opts.discover ?? true;
  const seedAddresses = seeds.map((s) => formatAddress(parseAddress(s)));
  const visited = new Set<string>();
  const zones: Record<string, string> = { ...opts.zones };
  const nodes: NodeView[] = [];
  const unreachable: UnreachableNode[] = [];
  const seedErrors: unknown[] = [];
  const reads: Promise<void>[] = [];
  let refused: unknown;

  const read = (grant: NodeGrant, isSeed: boolean): void => {
    // One read per node, however many spellings lead to it.
    if (visited.has(grant.key)) return;
    visited.add(grant.key);
    const address = grant.address;
    if (zones[address] === undefined && grant.zone !== undefined) zones[address] = grant.zone;
    reads.push(
      readNode(pool, address, zones[address]).then(
        (node) => {
          nodes.push(node);
          if (!discover) return;
          for (const peer of node.peers) {
            const a = peerAddress(peer);
            if (a) admitPeer(a, address);
          }
        },
        (err) => {
          unreachable.push({ address, error: errorMessage(err) });
          if (isSeed) seedErrors.push(err);
        },
      ),
    );
  };
  // Every peer is admitted before it is touched: its own credentials, or a refusal.
  const budget = new PeerBudget(seedAddresses, unreachable, opts.maxNodes);
  const admitPeer = (peer: string, via: string): void => {
    if (!budget.take(peer, via)) return;
    reads.push(
      access.admit(peer, via).then(
        (grant) => read(grant, false),
        (err) => {
          if (err instanceof MutationNotAllowedError) refused ??= err;
          else unreachable.push({ address: peer, error: errorMessage(err) });
        },
      ),
    );
  };

  try {
    for (const s of seedAddresses) read(access.grant(s), true);
    // Reads started by discovery are appended while we wait, so walk by index.
    for (let i = 0; i < reads.length; i++) await reads[i];
  } finally {
    if (!opts.pool) await pool.close();
  }
  if (refused) throw refused;

  if (nodes.length === 0) {
    const first = seedErrors[0];
    throw first instanceof PilotError ? first : new UnreachableError(seedAddresses[0], errorMessage(first));
  }
  // The same node reached under two names (a seed "localhost:7000", a peer "127.0.0.1:7000"): keep one.
  const seen = new Set<string>();
  const unique = nodes.sort(byAddress).filter((n) => !seen.has(n.self.id) && seen.add(n.self.id));
  const spares = sparesOf(unique);
  return {
    readAt: new Date().toISOString(),
    nodes: unique.filter((n) => !spares.includes(n)),
    ...(spares.length ? { spares: spares.map((n) => n.address) } : {}),
    unreachable: unreachable.sort(byAddress),
    ...(Object.keys(zones).length ? { zones } : {}),
  };
}

/**
 * Nodes read beside a cluster that are not part of it: alone (they know no other node),
 * owning no slot, and known by no other node read: a lab's spare node, or one that
 * del-node reset. Counted as members, every member would "not know" them. None while
 * no node knows another (nothing is a cluster yet, e.g. before cluster create).
 */
export function sparesOf(nodes: NodeView[]): NodeView[] {
  const alone = (n: NodeView) => n.peers.every((p) => p.id === n.self.id) && n.self.slots.length === 0;
  if (nodes.every(alone)) return [];
  return nodes.filter((n) => alone(n) && !nodes.some((m) => m !== n && m.peers.some((p) => p.id === n.self.id)));
}
