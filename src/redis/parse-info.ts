/** INFO and CLUSTER INFO replies: "# Section" headers, key:value lines, composite k=v,k=v values. */
import type { ReplicaLink, ReplicationInfo } from "../topology/types.js";
import { BadReplyError } from "./bad-reply.js";

export interface InfoSection {
  /** Every key's raw value. */
  values: Record<string, string>;
  /** Keys whose value is a k=v list ("slave0", "db0", "cmdstat_get", ...), split. */
  composite: Record<string, Record<string, string>>;
}

/** Sections by lowercased name ("server", "replication", "keyspace", ...). */
export type Info = Record<string, InfoSection>;

const COMPOSITE = /^[A-Za-z0-9_.-]+=[^,]*(,[A-Za-z0-9_.-]+=[^,]*)*$/;

function splitComposite(value: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return fields;
}

/** Parses INFO (any sections). Lines before any header land in section "default". */
export function parseInfo(text: string): Info {
  const info: Info = {};
  let current: InfoSection | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line.trim() === "") continue;
    if (line.startsWith("#")) {
      const name = line.slice(1).trim().toLowerCase();
      current = info[name] ??= { values: {}, composite: {} };
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw new BadReplyError("INFO", `line ${i + 1} is not key:value`, line);
    current ??= info.default = { values: {}, composite: {} };
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    current.values[key] = value;
    if (COMPOSITE.test(value)) current.composite[key] = splitComposite(value);
  }
  return info;
}

/** The first section holding `key`, so callers need not know which section INFO put it in. */
function lookup(info: Info, key: string): string | undefined {
  for (const section of Object.values(info)) if (key in section.values) return section.values[key];
  return undefined;
}

function intField(info: Info, key: string, command = "INFO"): number {
  const raw = lookup(info, key);
  if (raw === undefined || !/^-?\d+$/.test(raw)) {
    throw new BadReplyError(command, raw === undefined ? `${key} is missing` : `${key} '${raw}' is not an integer`);
  }
  return Number(raw);
}

function optionalInt(info: Info, key: string): number | undefined {
  const raw = lookup(info, key);
  return raw !== undefined && /^-?\d+$/.test(raw) ? Number(raw) : undefined;
}

function replicaLinks(info: Info): ReplicaLink[] {
  const composite = info.replication?.composite ?? {};
  return Object.keys(composite)
    .filter((k) => /^slave\d+$/.test(k))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
    .map((k) => {
      const f = composite[k];
      if (!f.ip || !/^\d+$/.test(f.port ?? "")) throw new BadReplyError("INFO replication", `${k} lacks ip or port`, info.replication.values[k]);
      const host = f.ip.includes(":") ? `[${f.ip}]` : f.ip;
      return { address: `${host}:${f.port}`, state: f.state ?? "unknown", offset: Number(f.offset ?? 0), lag: Number(f.lag ?? 0) };
    });
}

/** INFO replication as a typed value; accepts the reply text or a parsed Info. */
export function replicationFromInfo(input: string | Info): ReplicationInfo {
  const info = typeof input === "string" ? parseInfo(input) : input;
  const role = lookup(info, "role");
  if (role !== "master" && role !== "slave") throw new BadReplyError("INFO replication", `role '${role ?? "(missing)"}' is not master or slave`);
  const replid = lookup(info, "master_replid");
  // master_replid2: the history this node continued when it was promoted (all zeros when none).
  const replid2 = lookup(info, "master_replid2");
  const base = { connectedReplicas: replicaLinks(info), ...(replid ? { replid } : {}), ...(replid2 && /[^0]/.test(replid2) ? { replid2 } : {}) };
  if (role === "master") return { role: "master", offset: intField(info, "master_repl_offset", "INFO replication"), ...base };
  const link = lookup(info, "master_link_status");
  if (link !== "up" && link !== "down") throw new BadReplyError("INFO replication", `master_link_status '${link ?? "(missing)"}' is not up or down`);
  return {
    role: "replica",
    masterHost: lookup(info, "master_host"),
    masterPort: intField(info, "master_port", "INFO replication"),
    masterLinkStatus: link,
    masterLastIoSecondsAgo: optionalInt(info, "master_last_io_seconds_ago"),
    masterSyncInProgress: lookup(info, "master_sync_in_progress") === "1",
    offset: intField(info, "slave_repl_offset", "INFO replication"),
    ...base,
  };
}

/** Keys across all databases (INFO keyspace "dbN:keys=..,expires=.."); 0 when empty. */
export function keysFromInfo(input: string | Info): number {
  const info = typeof input === "string" ? parseInfo(input) : input;
  let keys = 0;
  for (const [name, fields] of Object.entries(info.keyspace?.composite ?? {})) {
    if (!/^db\d+$/.test(name)) continue;
    if (!/^\d+$/.test(fields.keys ?? "")) throw new BadReplyError("INFO keyspace", `${name} has no key count`, info.keyspace.values[name]);
    keys += Number(fields.keys);
  }
  return keys;
}

export interface ClusterInfo {
  state: "ok" | "fail";
  currentEpoch: number;
  myEpoch: number;
  knownNodes: number;
  size: number;
  slotsAssigned: number;
  slotsOk: number;
  slotsPfail: number;
  slotsFail: number;
}

export function parseClusterInfo(text: string): ClusterInfo {
  const info = parseInfo(text);
  const state = lookup(info, "cluster_state");
  if (state !== "ok" && state !== "fail") throw new BadReplyError("CLUSTER INFO", `cluster_state '${state ?? "(missing)"}' is not ok or fail`);
  const n = (key: string) => intField(info, key, "CLUSTER INFO");
  return {
    state,
    currentEpoch: n("cluster_current_epoch"),
    myEpoch: n("cluster_my_epoch"),
    knownNodes: n("cluster_known_nodes"),
    size: n("cluster_size"),
    slotsAssigned: n("cluster_slots_assigned"),
    slotsOk: n("cluster_slots_ok"),
    slotsPfail: n("cluster_slots_pfail"),
    slotsFail: n("cluster_slots_fail"),
  };
}
