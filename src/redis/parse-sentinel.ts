/**
 * SENTINEL replies: MASTER / MASTERS / REPLICAS / SENTINELS answer flat
 * [field, value, field, value, ...] lists (one per instance). Checked before use: a wrong
 * guess about which master a sentinel follows is worse than stopping.
 */
import { BadReplyError } from "./bad-reply.js";

/** One flat field/value list as a record. */
export function parseFieldList(reply: unknown, command: string): Record<string, string> {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) throw new BadReplyError(command, "not a field/value list");
  const out: Record<string, string> = {};
  for (let i = 0; i < reply.length; i += 2) {
    const [k, v] = [reply[i], reply[i + 1]];
    if (typeof k !== "string" || (typeof v !== "string" && typeof v !== "number")) throw new BadReplyError(command, `entry ${i / 2 + 1} is not a field and a value`);
    out[k] = String(v);
  }
  return out;
}

/** A list of field/value lists (MASTERS, REPLICAS, SENTINELS). */
export function parseFieldLists(reply: unknown, command: string): Record<string, string>[] {
  if (!Array.isArray(reply)) throw new BadReplyError(command, "not a list");
  return reply.map((r) => parseFieldList(r, command));
}

export interface SentinelInstance {
  name: string;
  host: string;
  port: number;
  runId: string;
  flags: string[];
  /** ms since the last valid PING reply. */
  lastOkPingReplyMs?: number;
}

export interface SentinelMasterEntry extends SentinelInstance {
  quorum: number;
  numReplicas: number;
  numOtherSentinels: number;
  configEpoch: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
}

export interface SentinelReplicaEntry extends SentinelInstance {
  masterLinkStatus?: string;
  masterHost?: string;
  masterPort?: number;
  replicaPriority?: number;
  replicaOffset?: number;
}

export interface SentinelPeerEntry extends SentinelInstance {
  lastHelloMessageMs?: number;
}

function int(f: Record<string, string>, key: string, command: string): number {
  const raw = f[key];
  if (raw === undefined || !/^-?\d+$/.test(raw)) throw new BadReplyError(command, raw === undefined ? `${key} is missing` : `${key} '${raw}' is not an integer`);
  return Number(raw);
}

const optInt = (f: Record<string, string>, key: string) => (f[key] !== undefined && /^-?\d+$/.test(f[key]) ? Number(f[key]) : undefined);

function instance(f: Record<string, string>, command: string): SentinelInstance {
  if (!f.ip) throw new BadReplyError(command, "ip is missing");
  return {
    name: f.name ?? `${f.ip}:${f.port}`,
    host: f.ip,
    port: int(f, "port", command),
    runId: f.runid ?? "",
    flags: (f.flags ?? "").split(",").filter(Boolean),
    ...(optInt(f, "last-ok-ping-reply") !== undefined ? { lastOkPingReplyMs: optInt(f, "last-ok-ping-reply") } : {}),
  };
}

export function parseSentinelMaster(fields: Record<string, string>, command = "SENTINEL MASTER"): SentinelMasterEntry {
  return {
    ...instance(fields, command),
    quorum: int(fields, "quorum", command),
    numReplicas: int(fields, "num-slaves", command),
    numOtherSentinels: int(fields, "num-other-sentinels", command),
    configEpoch: int(fields, "config-epoch", command),
    downAfterMs: int(fields, "down-after-milliseconds", command),
    failoverTimeoutMs: int(fields, "failover-timeout", command),
    parallelSyncs: int(fields, "parallel-syncs", command),
  };
}

export function parseSentinelReplica(fields: Record<string, string>, command = "SENTINEL REPLICAS"): SentinelReplicaEntry {
  return {
    ...instance(fields, command),
    ...(fields["master-link-status"] ? { masterLinkStatus: fields["master-link-status"] } : {}),
    ...(fields["master-host"] ? { masterHost: fields["master-host"] } : {}),
    ...(optInt(fields, "master-port") !== undefined ? { masterPort: optInt(fields, "master-port") } : {}),
    ...(optInt(fields, "slave-priority") !== undefined ? { replicaPriority: optInt(fields, "slave-priority") } : {}),
    ...(optInt(fields, "slave-repl-offset") !== undefined ? { replicaOffset: optInt(fields, "slave-repl-offset") } : {}),
  };
}

export function parseSentinelPeer(fields: Record<string, string>, command = "SENTINEL SENTINELS"): SentinelPeerEntry {
  return { ...instance(fields, command), ...(optInt(fields, "last-hello-message") !== undefined ? { lastHelloMessageMs: optInt(fields, "last-hello-message") } : {}) };
}

/** GET-MASTER-ADDR-BY-NAME: [host, port], or null when the name is unknown. */
export function parseMasterAddr(reply: unknown): { host: string; port: number } | null {
  if (reply === null) return null;
  if (!Array.isArray(reply) || reply.length !== 2 || typeof reply[0] !== "string" || !/^\d+$/.test(String(reply[1]))) {
    throw new BadReplyError("SENTINEL GET-MASTER-ADDR-BY-NAME", "not [host, port]");
  }
  return { host: reply[0], port: Number(reply[1]) };
}
