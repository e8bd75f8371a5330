/**
 * Runs a plan's moves on the key-by-key path: one Lane per (source, target) pair, all
 * pairs at once (pairs that share a node meet on that node's connection and take turns
 * there), progress as slots close, the journal updated per batch. Cancellation stops
 * new batches; batches in flight finish, so no slot is left open.
 */
import type { MigrateAuth } from "./auth.js";
import { CancelledError } from "../../errors.js";
import type { NodePool } from "../../redis/connection.js";
import { rangesToSlots } from "../../redis/slots.js";
import type { OpContext } from "../progress.js";
import type { ClusterMap } from "./cluster-map.js";
import type { Journal } from "./journal.js";
import { Lane, type LaneNode, type LaneOptions } from "./lane.js";
import { movedSlots, type MigrationPlan } from "./plan.js";
import { MigrationProgress } from "./rate.js";

export type EngineOptions = Omit<LaneOptions, "signal" | "onBatch" | "onWarning" | "migrateAuth">;

export interface EngineRequest {
  plan: Pick<MigrationPlan, "moves">;
  map: ClusterMap;
  pool: NodePool;
  /** MIGRATE AUTH arguments for a move's target, sent to its source. */
  migrateAuth: MigrateAuth;
  options?: EngineOptions;
  journal?: Journal;
}

export interface EngineResult {
  slots: number;
  keys: number;
  bytes: number;
  ms: number;
  warnings: string[];
}

export async function runMoves(req: EngineRequest, ctx: OpContext): Promise<EngineResult> {
  const t0 = Date.now();
  const progress = new MigrationProgress(movedSlots(req.plan), ctx.progress, t0);
  const warnings: string[] = [];
  const node = (id: string): LaneNode => {
    const n = req.map.nodes.find((m) => m.id === id);
    if (!n) throw new Error(`node ${id} is not in the cluster map`);
    return { id: n.id, address: n.address, busIp: n.busIp, port: n.port };
  };
  const masters = req.map.nodes.filter((n) => n.role === "master");
  const lanes = req.plan.moves.map(
    (move, i) =>
      new Lane(
        {
          from: node(move.from),
          to: node(move.to),
          others: masters.filter((m) => m.id !== move.from && m.id !== move.to).map((m) => node(m.id)),
          slots: rangesToSlots(move.slots),
        },
        req.pool,
        {
          ...req.options,
          migrateAuth: req.migrateAuth(node(move.to).address, node(move.from).address),
          signal: ctx.signal,
          onBatch: (done) => {
            req.journal?.markDone(i, done.slots);
            progress.add(done.slots.length, done.keys, done.bytes);
          },
          onWarning: (w) => warnings.push(w),
        },
      ),
  );
  const results = await Promise.allSettled(lanes.map((l) => l.run()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  if (ctx.signal?.aborted) {
    throw new CancelledError(
      `The migration was cancelled after ${progress.slots} of ${movedSlots(req.plan)} slots (${progress.keys} keys); every slot is closed, at its old or its new owner.`,
      "Run the same command again to move the rest, or leave it: the cluster is consistent.",
    );
  }
  return { slots: progress.slots, keys: progress.keys, bytes: progress.bytes, ms: Date.now() - t0, warnings };
}
