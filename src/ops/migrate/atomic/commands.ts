/**
 * The atomic slot migration commands, built to the servers' own documentation (Valkey
 * 9.0 CLUSTER MIGRATESLOTS / GETSLOTMIGRATIONS / CANCELSLOTMIGRATIONS; Redis 8.4 CLUSTER
 * MIGRATION IMPORT / STATUS / CANCEL). Pure: arguments in, argv out. Not run against a
 * real server here (this machine has Redis 7.0 only); see docs/migrate.md.
 */
import type { SlotRange } from "../../../redis/slots.js";

const pairs = (ranges: SlotRange[]) => ranges.flatMap((r) => [String(r.start), String(r.end)]);

/** Valkey, on the source: one SLOTSRANGE ... NODE block per target, one job each. */
export function valkeyMigrateSlots(jobs: { to: string; slots: SlotRange[] }[]): string[] {
  if (jobs.length === 0 || jobs.some((j) => j.slots.length === 0)) throw new RangeError("every job needs at least one slot range");
  return ["CLUSTER", "MIGRATESLOTS", ...jobs.flatMap((j) => ["SLOTSRANGE", ...pairs(j.slots), "NODE", j.to])];
}

export const valkeyGetSlotMigrations = (): string[] => ["CLUSTER", "GETSLOTMIGRATIONS"];
/** Cancels every job started on this node (the source); there is no per-job cancel. */
export const valkeyCancelSlotMigrations = (): string[] => ["CLUSTER", "CANCELSLOTMIGRATIONS"];

/** Redis, on the target: returns the task id. */
export function redisMigrationImport(slots: SlotRange[]): string[] {
  if (slots.length === 0) throw new RangeError("IMPORT needs at least one slot range");
  return ["CLUSTER", "MIGRATION", "IMPORT", ...pairs(slots)];
}

export const redisMigrationStatus = (id?: string): string[] => (id ? ["CLUSTER", "MIGRATION", "STATUS", "ID", id] : ["CLUSTER", "MIGRATION", "STATUS", "ALL"]);
export const redisMigrationCancel = (id?: string): string[] => (id ? ["CLUSTER", "MIGRATION", "CANCEL", "ID", id] : ["CLUSTER", "MIGRATION", "CANCEL", "ALL"]);
