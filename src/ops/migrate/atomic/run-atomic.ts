/**
 * Runs a plan's moves with the servers' own atomic slot migration: each server moves
 * whole slot ranges (snapshot, stream, a brief write pause, ownership handoff) with no
 * slot ever open to clients. Valkey: CLUSTER MIGRATESLOTS on each source, one job per
 * target, polled with GETSLOTMIGRATIONS. Redis: CLUSTER MIGRATION IMPORT on each target,
 * polled with STATUS ID. A cancelled call cancels the jobs (a cancelled job leaves its
 * slots where they were) and waits for them to end. Built to the documented replies and
 * not run against a real server here; see docs/migrate.md.
 */
import { CancelledError, PilotError, TimeoutError } from "../../../errors.js";
import type { NodePool } from "../../../redis/connection.js";
import { countSlots, formatRanges, mergeRanges, type SlotRange } from "../../../redis/slots.js";
import type { OpContext } from "../../progress.js";
import type { ClusterMap } from "../cluster-map.js";
import type { Move } from "../plan.js";
import { MigrationProgress } from "../rate.js";
import { redisMigrationCancel, redisMigrationImport, redisMigrationStatus, valkeyCancelSlotMigrations, valkeyGetSlotMigrations, valkeyMigrateSlots } from "./commands.js";
import { parseRedisMigrations, parseValkeyMigrations, type AtomicJob } from "./parse.js";
import { argRef, toolRef } from "../../../registry/words.js";

export interface AtomicRequest {
  kind: "valkey" | "redis";
  moves: Move[];
  map: ClusterMap;
  pool: NodePool;
  /** @default 20 */
  pollMs?: number;
  /** @default 600000 */
  timeoutMs?: number;
  onMoveDone?: (index: number, move: Move) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sameRanges = (a: SlotRange[], b: SlotRange[]) => formatRanges(mergeRanges(a)) === formatRanges(mergeRanges(b));

/** The job of `move` among a node's jobs (Valkey names its jobs itself, so they are matched by slots and target). */
export function findJob(jobs: AtomicJob[], move: Move, side: "export" | "import", id?: string): AtomicJob | undefined {
  if (id) return jobs.find((j) => j.id === id);
  return jobs.filter((j) => j.operation === side && (!j.target || j.target === move.to) && sameRanges(j.slots, move.slots)).at(-1);
}

export async function runAtomic(req: AtomicRequest, ctx: OpContext): Promise<{ slots: number; keys: number; ms: number }> {
  const t0 = Date.now();
  const progress = new MigrationProgress(req.moves.reduce((n, m) => n + countSlots(m.slots), 0), ctx.progress, t0);
  const address = (id: string) => req.map.nodes.find((n) => n.id === id)!.address;
  const call = async (node: string, argv: string[]) => (await req.pool.get(node)).call(argv[0], ...argv.slice(1));
  const ids = new Map<number, string>();
  // Start: Valkey, one command per source; Redis, one IMPORT per move on its target.
  if (req.kind === "valkey") {
    const bySource = new Map<string, Move[]>();
    for (const m of req.moves) bySource.set(m.from, [...(bySource.get(m.from) ?? []), m]);
    for (const [source, moves] of bySource) await call(address(source), valkeyMigrateSlots(moves.map((m) => ({ to: m.to, slots: m.slots }))));
  } else {
    for (const [i, m] of req.moves.entries()) ids.set(i, String(await call(address(m.to), redisMigrationImport(m.slots))));
  }
  const pending = new Set(req.moves.keys());
  const deadline = t0 + (req.timeoutMs ?? 600_000);
  let cancelled = false;
  while (pending.size) {
    if (ctx.signal?.aborted && !cancelled) {
      cancelled = true;
      const nodes = new Set([...pending].map((i) => (req.kind === "valkey" ? address(req.moves[i].from) : address(req.moves[i].to))));
      for (const n of nodes) await call(n, req.kind === "valkey" ? valkeyCancelSlotMigrations() : redisMigrationCancel()).catch(() => undefined);
    }
    for (const i of [...pending]) {
      const m = req.moves[i];
      const node = req.kind === "valkey" ? address(m.from) : address(m.to);
      const reply = await call(node, req.kind === "valkey" ? valkeyGetSlotMigrations() : redisMigrationStatus(ids.get(i)));
      const jobs = req.kind === "valkey" ? parseValkeyMigrations(reply) : parseRedisMigrations(reply);
      const job = findJob(jobs, m, req.kind === "valkey" ? "export" : "import", ids.get(i));
      if (!job?.outcome) continue;
      pending.delete(i);
      if (job.outcome === "success") {
        progress.add(countSlots(m.slots), m.keys ?? 0);
        req.onMoveDone?.(i, m);
      } else if (!cancelled) {
        throw new PilotError("atomic_migration_failed", `The atomic migration of slots ${formatRanges(m.slots)} from ${address(m.from)} to ${address(m.to)} ended ${job.outcome}: ${job.message || job.state}.`, `The servers left those slots with their source; run ${toolRef("cluster_check")}, then retry (or pass ${argRef("path", "keys")} to move key by key).`);
      }
    }
    if (!pending.size) break;
    if (Date.now() > deadline) throw new TimeoutError("The atomic slot migration", req.timeoutMs ?? 600_000);
    await sleep(req.pollMs ?? 20);
  }
  if (cancelled) throw new CancelledError(`The atomic migration was cancelled after ${progress.slots} slots; the servers kept every unfinished range at its source.`, "Run the same command again to move the rest.");
  return { slots: progress.slots, keys: progress.keys, ms: Date.now() - t0 };
}


