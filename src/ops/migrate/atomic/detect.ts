/**
 * Which atomic slot migration a node offers, from INFO server and COMMAND INFO of the two
 * subcommands: Valkey 9+ has CLUSTER MIGRATESLOTS (run on the source, progress through
 * CLUSTER GETSLOTMIGRATIONS); Redis 8.4+ has CLUSTER MIGRATION (IMPORT run on the
 * target, progress through STATUS). COMMAND INFO answers nil for a command a server does
 * not have, so the test is what the server says it can run, not its version string.
 * The atomic path runs only when every node a move involves offers the same one.
 */
import type { NodePool } from "../../../redis/connection.js";
import { parseInfo } from "../../../redis/parse-info.js";

export type AtomicKind = "valkey" | "redis" | "none";

export interface NodeCapability {
  address: string;
  server: string;
  version: string;
  atomic: AtomicKind;
}

/** Pure: INFO server text and the COMMAND INFO reply for [cluster|migrateslots, cluster|migration]. */
export function parseCapability(address: string, infoServer: string, commandInfo: unknown): NodeCapability {
  const values = parseInfo(infoServer).server?.values ?? {};
  const valkey = values.server_name === "valkey" || values.valkey_version !== undefined;
  const server = valkey ? "valkey" : "redis";
  const version = (valkey ? values.valkey_version : undefined) ?? values.redis_version ?? "unknown";
  const [migrateslots, migration] = Array.isArray(commandInfo) ? commandInfo : [];
  const atomic: AtomicKind = Array.isArray(migrateslots) ? "valkey" : Array.isArray(migration) ? "redis" : "none";
  return { address, server, version, atomic };
}

export async function detectNode(pool: NodePool, address: string): Promise<NodeCapability> {
  const replies = (await (await pool.get(address)).pipeline().call("INFO", "server").call("COMMAND", "INFO", "cluster|migrateslots", "cluster|migration").exec()) ?? [];
  const [[infoErr, info], [cmdErr, cmd]] = replies;
  if (infoErr) throw infoErr;
  // A server too old for subcommand names in COMMAND INFO has neither.
  return parseCapability(address, String(info), cmdErr ? [] : cmd);
}

export interface PathChoice {
  atomic: AtomicKind;
  reason: string;
  nodes: NodeCapability[];
}

/** The path for nodes that all take part in a move: atomic only when every one offers the same kind. */
export function choosePath(nodes: NodeCapability[], wanted: "auto" | "keys" | "atomic"): PathChoice {
  const describe = (n: NodeCapability) => `${n.address} ${n.server} ${n.version}`;
  const kinds = new Set(nodes.map((n) => n.atomic));
  const common = kinds.size === 1 ? [...kinds][0] : "none";
  if (wanted === "keys") return { atomic: "none", reason: "key by key, as asked", nodes };
  if (common === "none") {
    const lacking = nodes.filter((n) => n.atomic === "none");
    const why = lacking.length ? `${lacking.slice(0, 3).map(describe).join(", ")}${lacking.length > 3 ? " and others" : ""} lack atomic slot migration` : "the nodes offer different atomic slot migrations";
    return { atomic: "none", reason: `key by key: ${why}`, nodes };
  }
  const name = common === "valkey" ? "Valkey CLUSTER MIGRATESLOTS" : "Redis CLUSTER MIGRATION IMPORT";
  return { atomic: common, reason: `atomic (${name}): every node involved offers it`, nodes };
}
