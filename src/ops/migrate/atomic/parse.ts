/**
 * Replies of the atomic slot migration status commands, read into one shape. Valkey's
 * CLUSTER GETSLOTMIGRATIONS and Redis's CLUSTER MIGRATION STATUS each return one entry per
 * job, a field/value list in RESP2 (a map in RESP3); field names and states follow each
 * server's documentation, and Redis's early 8.x names (slots_range, error, importing /
 * migrating, done, done_time) are read too. Entries are validated: a reply we cannot read
 * is a BadReplyError, never a guess.
 */
import { BadReplyError } from "../../../redis/bad-reply.js";
import { isSlot, type SlotRange } from "../../../redis/slots.js";

export interface AtomicJob {
  id: string;
  /** This node's side of the job. */
  operation: "export" | "import";
  slots: SlotRange[];
  source?: string;
  target?: string;
  /** The server's own state word. */
  state: string;
  /** Set once the job ended. */
  outcome?: "success" | "failed" | "cancelled";
  message: string;
}

type Fields = Map<string, unknown>;

function fieldsOf(entry: unknown, command: string): Fields {
  if (entry instanceof Map) return new Map([...entry].map(([k, v]) => [String(k), v]));
  if (Array.isArray(entry)) {
    if (entry.length % 2 !== 0) throw new BadReplyError(command, "an entry is not a field/value list");
    const m: Fields = new Map();
    for (let i = 0; i < entry.length; i += 2) m.set(String(entry[i]), entry[i + 1]);
    return m;
  }
  if (entry && typeof entry === "object") return new Map(Object.entries(entry));
  throw new BadReplyError(command, "an entry is neither a list nor a map");
}

const text = (v: unknown) => (v === undefined || v === null ? "" : Buffer.isBuffer(v) ? v.toString() : String(v));

/** "0-10 20-30" or "0-10,20-30" or "5". */
export function parseSlotRanges(value: string, command: string): SlotRange[] {
  const parts = value.trim().split(/[\s,]+/).filter(Boolean);
  return parts.map((p) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(p);
    const start = m ? Number(m[1]) : NaN;
    const end = m?.[2] !== undefined ? Number(m[2]) : start;
    if (!isSlot(start) || !isSlot(end) || end < start) throw new BadReplyError(command, `slot range '${p}' is not N-M within 0-16383`);
    return { start, end };
  });
}

function entries(reply: unknown, command: string): unknown[] {
  if (!Array.isArray(reply)) throw new BadReplyError(command, "the reply is not a list of jobs");
  return reply;
}

const VALKEY_END: Record<string, AtomicJob["outcome"]> = { success: "success", failed: "failed", cancelled: "cancelled" };

export function parseValkeyMigrations(reply: unknown): AtomicJob[] {
  const command = "CLUSTER GETSLOTMIGRATIONS";
  return entries(reply, command).map((e) => {
    const f = fieldsOf(e, command);
    const op = text(f.get("operation")).toUpperCase();
    if (op !== "EXPORT" && op !== "IMPORT") throw new BadReplyError(command, `operation '${op}' is not EXPORT or IMPORT`);
    const id = text(f.get("name"));
    if (!id) throw new BadReplyError(command, "an entry has no name");
    const state = text(f.get("state"));
    return {
      id,
      operation: op === "EXPORT" ? "export" : "import",
      slots: parseSlotRanges(text(f.get("slot_ranges")), command),
      ...(f.get("source_node") ? { source: text(f.get("source_node")) } : {}),
      ...(f.get("target_node") ? { target: text(f.get("target_node")) } : {}),
      state,
      ...(VALKEY_END[state] ? { outcome: VALKEY_END[state] } : {}),
      message: text(f.get("message")),
    };
  });
}

const REDIS_END: Record<string, AtomicJob["outcome"]> = { completed: "success", done: "success", failed: "failed", canceled: "cancelled", cancelled: "cancelled" };

export function parseRedisMigrations(reply: unknown): AtomicJob[] {
  const command = "CLUSTER MIGRATION STATUS";
  return entries(reply, command).map((e) => {
    const f = fieldsOf(e, command);
    const op = text(f.get("operation")).toLowerCase();
    const operation = op.startsWith("import") ? "import" : op.startsWith("migrat") ? "export" : undefined;
    if (!operation) throw new BadReplyError(command, `operation '${op}' is not import or migrate`);
    const id = text(f.get("id"));
    const state = text(f.get("state"));
    return {
      id,
      operation,
      slots: parseSlotRanges(text(f.get("slots") ?? f.get("slots_range")), command),
      ...(f.get("source") ? { source: text(f.get("source")) } : {}),
      ...(f.get("dest") ? { target: text(f.get("dest")) } : {}),
      state,
      ...(REDIS_END[state] ? { outcome: REDIS_END[state] } : {}),
      message: text(f.get("last_error") ?? f.get("error")),
    };
  });
}
