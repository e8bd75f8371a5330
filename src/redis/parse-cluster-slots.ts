/**
 * CLUSTER SLOTS and CLUSTER SHARDS replies, as ioredis returns them (nested arrays;
 * RESP2 maps come as flat [key, value, ...] arrays). Validated, because a client that
 * routes by a misread slot map writes keys to the wrong node.
 */
import { BadReplyError } from "./bad-reply.js";
import { isSlot, type SlotRange } from "./slots.js";

export interface SlotsEndpoint {
  /** Preferred endpoint (ip, hostname or "?" per cluster-preferred-endpoint-type). */
  host: string;
  port: number;
  id: string;
  /** Extra networking metadata (hostname, ip, tls-port) as the server sent it. */
  metadata: Record<string, string | number>;
}

export interface SlotsEntry extends SlotRange {
  master: SlotsEndpoint;
  replicas: SlotsEndpoint[];
}

export interface ShardNode {
  id: string;
  endpoint: string;
  ip: string;
  hostname?: string;
  port?: number;
  tlsPort?: number;
  role: "master" | "replica";
  replicationOffset: number;
  /** Redis 7.0 prints "fail", the docs say "failed"; both read as "failed". */
  health: "online" | "failed" | "loading";
}

export interface Shard {
  slots: SlotRange[];
  nodes: ShardNode[];
}

type Reply = unknown;

function text(v: Reply): string | undefined {
  if (typeof v === "string") return v;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  return undefined;
}

function integer(v: Reply): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  const t = text(v);
  return t !== undefined && /^-?\d+$/.test(t) ? Number(t) : undefined;
}

function slotRange(start: Reply, end: Reply, command: string): SlotRange {
  const s = integer(start);
  const e = integer(end);
  if (s === undefined || e === undefined || !isSlot(s) || !isSlot(e) || e < s) {
    throw new BadReplyError(command, `slot range ${String(start)}-${String(end)} is not within 0-16383`);
  }
  return { start: s, end: e };
}

/**
 * Each slot has one owner: ranges that overlap mean a corrupt or misread reply, and a
 * client routing by it would send a key to two places.
 */
function assertDisjoint(ranges: SlotRange[], command: string): void {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const [prev, cur] = [sorted[i - 1], sorted[i]];
    if (cur.start <= prev.end) throw new BadReplyError(command, `slot ranges ${prev.start}-${prev.end} and ${cur.start}-${cur.end} overlap`);
  }
}

/** A flat [key, value, key, value] array as a record. */
function pairs(v: Reply, command: string, what: string): Record<string, Reply> {
  if (!Array.isArray(v) || v.length % 2 !== 0) throw new BadReplyError(command, `${what} is not a key/value list`);
  const out: Record<string, Reply> = {};
  for (let i = 0; i < v.length; i += 2) {
    const key = text(v[i]);
    if (key === undefined) throw new BadReplyError(command, `${what} has a non-string key`);
    out[key] = v[i + 1];
  }
  return out;
}

function endpoint(v: Reply): SlotsEndpoint {
  if (!Array.isArray(v) || v.length < 3) throw new BadReplyError("CLUSTER SLOTS", "a node entry has fewer than 3 fields");
  const host = text(v[0]);
  const port = integer(v[1]);
  const id = text(v[2]);
  if (host === undefined || port === undefined || id === undefined) {
    throw new BadReplyError("CLUSTER SLOTS", `node entry [${v.slice(0, 3).map(String).join(", ")}] is not [host, port, id]`);
  }
  const metadata: Record<string, string | number> = {};
  for (const [k, value] of Object.entries(v[3] === undefined ? {} : pairs(v[3], "CLUSTER SLOTS", `metadata of ${id}`))) {
    metadata[k] = integer(value) ?? text(value) ?? String(value);
  }
  return { host, port, id, metadata };
}

export function parseClusterSlots(reply: Reply): SlotsEntry[] {
  if (!Array.isArray(reply)) throw new BadReplyError("CLUSTER SLOTS", "reply is not an array");
  const entries = reply.map((entry) => {
    if (!Array.isArray(entry) || entry.length < 3) throw new BadReplyError("CLUSTER SLOTS", "an entry lacks start, end and master");
    const [start, end, master, ...replicas] = entry;
    return { ...slotRange(start, end, "CLUSTER SLOTS"), master: endpoint(master), replicas: replicas.map(endpoint) };
  });
  assertDisjoint(entries, "CLUSTER SLOTS");
  return entries;
}

function shardNode(v: Reply): ShardNode {
  const f = pairs(v, "CLUSTER SHARDS", "a node");
  const id = text(f.id);
  const ip = text(f.ip);
  const endpointText = text(f.endpoint);
  const role = text(f.role);
  const offset = integer(f["replication-offset"]);
  const health = text(f.health);
  if (!id || ip === undefined || endpointText === undefined || offset === undefined) {
    throw new BadReplyError("CLUSTER SHARDS", `node ${id ?? "(no id)"} lacks id, ip, endpoint or replication-offset`);
  }
  if (role !== "master" && role !== "replica") throw new BadReplyError("CLUSTER SHARDS", `node ${id} has role '${role}'`);
  if (health !== "online" && health !== "fail" && health !== "failed" && health !== "loading") {
    throw new BadReplyError("CLUSTER SHARDS", `node ${id} has health '${health}'`);
  }
  const port = integer(f.port);
  const tlsPort = integer(f["tls-port"]);
  const hostname = text(f.hostname);
  if (port === undefined && tlsPort === undefined) throw new BadReplyError("CLUSTER SHARDS", `node ${id} has neither port nor tls-port`);
  return {
    id,
    endpoint: endpointText,
    ip,
    ...(hostname ? { hostname } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(tlsPort !== undefined ? { tlsPort } : {}),
    role,
    replicationOffset: offset,
    health: health === "fail" ? "failed" : health,
  };
}

export function parseClusterShards(reply: Reply): Shard[] {
  if (!Array.isArray(reply)) throw new BadReplyError("CLUSTER SHARDS", "reply is not an array");
  const shards = reply.map((entry) => {
    const f = pairs(entry, "CLUSTER SHARDS", "a shard");
    if (!Array.isArray(f.slots) || f.slots.length % 2 !== 0) throw new BadReplyError("CLUSTER SHARDS", "a shard's slots are not start/end pairs");
    if (!Array.isArray(f.nodes)) throw new BadReplyError("CLUSTER SHARDS", "a shard has no node list");
    const slots: SlotRange[] = [];
    for (let i = 0; i < f.slots.length; i += 2) slots.push(slotRange(f.slots[i], f.slots[i + 1], "CLUSTER SHARDS"));
    return { slots, nodes: f.nodes.map(shardNode) };
  });
  assertDisjoint(shards.flatMap((s) => s.slots), "CLUSTER SHARDS");
  return shards;
}
