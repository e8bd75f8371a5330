/**
 * cluster create, step 0: look before touching. Reads every node once and refuses,
 * with a typed error and before any change, a node that is unreachable, refuses our
 * password, is not cluster-enabled, holds keys or slots, knows other nodes, or is
 * listed twice (by address, or by node id under two addresses). Also records the IP each
 * address reached, so the plan treats "localhost:7000" and "127.0.0.1:7001" as one host.
 */
import { lookup } from "node:dns/promises";
import { DuplicateNodeError, NotClusterEnabledError, NotEmptyError, PilotError } from "../../errors.js";
import { toPilotError, type NodePool } from "../../redis/connection.js";
import { parseAddress } from "../../redis/address.js";
import { BadReplyError } from "../../redis/bad-reply.js";
import { parseConfigGet } from "../../redis/parse-config.js";
import { parseClusterInfo, parseInfo } from "../../redis/parse-info.js";
import { socketIp } from "../../topology/read-cluster-view.js";

/** Settings apply() lowers for the build and restores afterwards. */
export const TUNED = ["cluster-node-timeout", "repl-diskless-sync-delay", "cluster-replica-no-failover"] as const;
export type TunedSetting = (typeof TUNED)[number];

export interface PreflightNode {
  address: string;
  host: string;
  /** The IP the address reached: the socket's peer address (CLUSTER MEET needs an IP too). */
  ip: string;
  id: string;
  configEpoch: number;
  /** Cluster bus port (cluster-port, else port + 10000). */
  busPort: number;
  /** Whether requirepass / masterauth are set (the values themselves are never kept). */
  requirepassSet: boolean;
  masterauthSet: boolean;
  /** Original values of the tuned settings, to restore. */
  settings: Record<TunedSetting, string>;
}

export function assertNoDuplicateAddresses(addresses: string[]): void {
  const seen = new Set<string>();
  for (const a of addresses) {
    if (seen.has(a)) throw new DuplicateNodeError(a);
    seen.add(a);
  }
}

async function inspect(pool: NodePool, address: string): Promise<PreflightNode> {
  // No PING on connect: this pipeline is the first thing the node hears, in one write
  // and one round trip, and a refused password fails it (mapped to AuthError below).
  const r = await pool.get(address, { ping: false });
  const mapped = (err: unknown) => toPilotError(address, err, pool.optionsFor(address));
  const replies = await r
    .pipeline()
    .call("INFO", "cluster")
    .call("CLUSTER", "MYID")
    .call("CLUSTER", "INFO")
    .call("DBSIZE")
    .call("CONFIG", "GET", ...TUNED, "cluster-port", "requirepass", "masterauth")
    .exec()
    .catch((err) => {
      throw mapped(err);
    });
  if (!replies) throw new BadReplyError("pipeline", `no replies from ${address}`);
  const [[infoError, info]] = replies;
  if (infoError) throw mapped(infoError);
  if (parseInfo(String(info)).cluster?.values.cluster_enabled !== "1") throw new NotClusterEnabledError(address);
  const failed = replies.find(([err]) => err);
  if (failed) throw mapped(failed[0]);
  const [, myid, clusterInfo, dbsize, config] = replies.map(([, value]) => value);
  const ci = parseClusterInfo(String(clusterInfo));
  if (Number(dbsize) > 0) throw new NotEmptyError(address, `it holds ${dbsize} key(s)`);
  if (ci.knownNodes > 1) throw new NotEmptyError(address, `it already knows ${ci.knownNodes - 1} other node(s)`);
  if (ci.slotsAssigned > 0) throw new NotEmptyError(address, `it already serves ${ci.slotsAssigned} slot(s)`);
  const got = parseConfigGet(config);
  const settings = Object.fromEntries(TUNED.map((k) => [k, got[k]])) as Record<TunedSetting, string>;
  const { host, port } = parseAddress(address);
  const ip = socketIp(r.stream?.remoteAddress) ?? (await lookup(host)).address;
  const busPort = Number(got["cluster-port"]) > 0 ? Number(got["cluster-port"]) : port + 10000;
  return {
    address,
    host,
    ip,
    id: String(myid),
    configEpoch: ci.myEpoch ?? 0,
    busPort,
    requirepassSet: Boolean(got.requirepass),
    masterauthSet: Boolean(got.masterauth),
    settings,
  };
}

/** A replica of a password-protected master cannot sync without masterauth: refuse before acting. */
export function assertReplicasCanAuth(nodes: PreflightNode[], replicaOf: Record<string, string>): void {
  const byAddress = new Map(nodes.map((n) => [n.address, n]));
  for (const [replica, master] of Object.entries(replicaOf)) {
    if (byAddress.get(master)?.requirepassSet && !byAddress.get(replica)?.masterauthSet) {
      throw new PilotError(
        "masterauth_missing",
        `${replica} would replicate ${master}, which requires a password, but ${replica} has no masterauth set.`,
        `Set masterauth (and masteruser with ACLs) on every node, e.g. CONFIG SET masterauth <password>, then retry.`,
      );
    }
  }
}

/** Inspects all nodes concurrently; the first problem (in input order) is thrown. */
export async function preflight(pool: NodePool, addresses: string[]): Promise<PreflightNode[]> {
  assertNoDuplicateAddresses(addresses);
  const results = await Promise.allSettled(addresses.map((a) => inspect(pool, a)));
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const nodes = results.map((r) => (r as PromiseFulfilledResult<PreflightNode>).value);
  const byId = new Map<string, string>();
  for (const n of nodes) {
    const other = byId.get(n.id);
    if (other) throw new DuplicateNodeError(`${n.address} (the same node as ${other})`);
    byId.set(n.id, n.address);
  }
  return nodes;
}
