/**
 * SentinelView: what every sentinel believes about the masters it monitors (address,
 * flags, epochs, the replicas and other sentinels it knows, whether CKQUORUM passes).
 * Pure data after the read; readSentinelView is the only I/O.
 */
import { errorMessage, MutationNotAllowedError, PilotError, UnreachableError, ValidationError } from "../errors.js";
import { formatAddress, parseAddress } from "../redis/address.js";
import { BadReplyError } from "../redis/bad-reply.js";
import { NodePool, toPilotError } from "../redis/connection.js";
import { parseInfo } from "../redis/parse-info.js";
import {
  parseFieldList,
  parseFieldLists,
  parseSentinelMaster,
  parseSentinelPeer,
  parseSentinelReplica,
  type SentinelMasterEntry,
  type SentinelPeerEntry,
  type SentinelReplicaEntry,
} from "../redis/parse-sentinel.js";
import { MAX_VIEW_NODES, PeerBudget } from "./peer-budget.js";
import { socketIp } from "./read-cluster-view.js";
import type { UnreachableNode } from "./types.js";

export interface MonitoredMaster {
  master: SentinelMasterEntry;
  replicas: SentinelReplicaEntry[];
  sentinels: SentinelPeerEntry[];
  ckquorum: { ok: boolean; message: string };
}

export interface SentinelNode {
  address: string;
  ip?: string;
  zone?: string;
  myId: string;
  tilt: boolean;
  /** By master name. */
  masters: Record<string, MonitoredMaster>;
  /** Masters it lists past MAX_VIEW_NODES, not read (a hostile sentinel can list thousands). */
  unreadMasters?: number;
}

export interface SentinelView {
  readAt: string;
  sentinels: SentinelNode[];
  unreachable: UnreachableNode[];
  zones?: Record<string, string>;
}

/** Reads one sentinel: every master it monitors, or only `name`. Errors come back typed. */
export async function readSentinelNode(pool: NodePool, address: string, name?: string, zone?: string): Promise<SentinelNode> {
  const client = await pool.get(address);
  const wrap = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (err) {
      throw toPilotError(address, err, pool.optionsFor(address));
    }
  };
  const info = parseInfo(String(await wrap(client.call("INFO", "server", "sentinel"))));
  if (info.server?.values.redis_mode !== "sentinel") {
    throw new ValidationError(`${address} is not a sentinel (redis_mode is ${info.server?.values.redis_mode ?? "unknown"}).`, "Name the sentinels' addresses (port 26379 by default), not the Redis nodes'.");
  }
  const myId = String(await wrap(client.call("SENTINEL", "MYID")));
  const all = parseFieldLists(await wrap(client.call("SENTINEL", "MASTERS")), "SENTINEL MASTERS").map((f) => parseSentinelMaster(f, "SENTINEL MASTERS"));
  const listed = name === undefined ? all : all.filter((m) => m.name === name);
  const wanted = listed.slice(0, MAX_VIEW_NODES);
  const masters: Record<string, MonitoredMaster> = {};
  // One round trip for every master: a slow or hostile sentinel costs one wait, not one per master.
  const pipeline = client.pipeline();
  for (const m of wanted) pipeline.call("SENTINEL", "REPLICAS", m.name).call("SENTINEL", "SENTINELS", m.name).call("SENTINEL", "CKQUORUM", m.name);
  const replies = wanted.length ? await pipeline.exec() : [];
  if (!replies || replies.length !== wanted.length * 3) throw new BadReplyError("pipeline", `no replies from ${address}`);
  for (const [i, m] of wanted.entries()) {
    const [[rErr, r], [sErr, s], [qErr, q]] = replies.slice(i * 3, i * 3 + 3);
    if (rErr || sErr) throw toPilotError(address, rErr ?? sErr, pool.optionsFor(address));
    masters[m.name] = {
      master: m,
      replicas: parseFieldLists(r, "SENTINEL REPLICAS").map((f) => parseSentinelReplica(f)),
      sentinels: parseFieldLists(s, "SENTINEL SENTINELS").map((f) => parseSentinelPeer(f)),
      ckquorum: qErr ? { ok: false, message: qErr.message } : { ok: true, message: String(q) },
    };
  }
  const ip = socketIp(client.stream?.remoteAddress);
  const unread = listed.length - wanted.length;
  return { address, ...(ip ? { ip } : {}), ...(zone ? { zone } : {}), myId, tilt: info.sentinel?.values.sentinel_tilt === "1", masters, ...(unread ? { unreadMasters: unread } : {}) };
}

export interface ReadSentinelViewOptions {
  /** Connections with each sentinel's own credentials; sentinels discovered are admitted through pool.access. */
  pool: NodePool;
  /** Only this master name. */
  name?: string;
  zones?: Record<string, string>;
  /** Also read the other sentinels the named ones know of. @default true */
  discover?: boolean;
  /** Follow at most this many sentinels, the named ones included. @default MAX_VIEW_NODES */
  maxNodes?: number;
}

export async function readSentinelView(addresses: string[], opts: ReadSentinelViewOptions): Promise<SentinelView> {
  if (addresses.length === 0) throw new ValidationError("No sentinel address was given.", "Pass the sentinels as HOST:PORT (or a lab that runs sentinels).");
  const { pool } = opts;
  const zones = opts.zones ?? {};
  const visited = new Set<string>();
  const sentinels: SentinelNode[] = [];
  const unreachable: UnreachableNode[] = [];
  const errors: unknown[] = [];
  const reads: Promise<void>[] = [];
  let refused: MutationNotAllowedError | undefined;
  const named = addresses.map((a) => formatAddress(parseAddress(a)));
  const budget = new PeerBudget(named, unreachable, opts.maxNodes);
  const read = (address: string) => {
    if (visited.has(address)) return;
    visited.add(address);
    reads.push(
      readSentinelNode(pool, address, opts.name, zones[address] ?? pool.access.grant(address).zone).then(
        (s) => {
          sentinels.push(s);
          if (s.unreadMasters) unreachable.push({ address, error: `not read: ${s.unreadMasters} of the masters it monitors (the view stops at ${MAX_VIEW_NODES} masters per sentinel)` });
          if (opts.discover === false) return;
          for (const m of Object.values(s.masters)) for (const p of m.sentinels) admitPeer(formatAddress({ host: p.host, port: p.port }), address);
        },
        (err) => {
          unreachable.push({ address, error: errorMessage(err) });
          errors.push(err);
        },
      ),
    );
  };
  const admitPeer = (peer: string, via: string) => {
    if (visited.has(peer) || !budget.take(peer, via)) return;
    reads.push(
      pool.access.admit(peer, via).then(
        (g) => read(g.address),
        (err) => {
          if (err instanceof MutationNotAllowedError) refused ??= err;
          else unreachable.push({ address: peer, error: errorMessage(err) });
        },
      ),
    );
  };
  for (const a of named) read(a);
  for (let i = 0; i < reads.length; i++) await reads[i];
  if (refused) throw refused;
  if (sentinels.length === 0) {
    const first = errors[0];
    throw first instanceof PilotError ? first : new UnreachableError(addresses[0], errorMessage(first));
  }
  const seen = new Set<string>();
  const unique = sentinels.sort((a, b) => a.address.localeCompare(b.address, undefined, { numeric: true })).filter((s) => !seen.has(s.myId) && seen.add(s.myId));
  return { readAt: new Date().toISOString(), sentinels: unique, unreachable, ...(Object.keys(zones).length ? { zones } : {}) };
}

/** Master names any sentinel monitors. */
export function monitoredNames(view: SentinelView): string[] {
  return [...new Set(view.sentinels.flatMap((s) => Object.keys(s.masters)))].sort();
}

/** The master address each sentinel gives for `name` (undefined where it does not monitor it). */
export function masterAddresses(view: SentinelView, name: string): Map<string, string | undefined> {
  return new Map(view.sentinels.map((s) => [s.address, s.masters[name] ? formatAddress({ host: s.masters[name].master.host, port: s.masters[name].master.port }) : undefined]));
}

export { parseFieldList };
