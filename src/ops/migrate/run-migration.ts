/**
 * One migration, start to proof: read the cluster, deal with what an interrupted run
 * left (its journal says which open slots to finish and whether this is the same
 * command, which then resumes), refuse an unstable cluster, plan (or check a saved
 * plan), and unless it is a dry run: journal, protect masters the move empties, move,
 * put settings back, verify. Shared by reshard, rebalance and del-node --drain.
 */
import { errorMessage, PilotError, ValidationError, VerificationFailedError } from "../../errors.js";
import { rangesToSlots } from "../../redis/slots.js";
import { choosePath, detectNode } from "./atomic/detect.js";
import { runAtomic } from "./atomic/run-atomic.js";
import { hasErrors, type Finding } from "../../checks/finding.js";
import { NodePool } from "../../redis/connection.js";
import type { OpContext } from "../progress.js";
import { checkRepairAuth, migrateAuthFor } from "./auth.js";
import type { ClusterMap } from "./cluster-map.js";
import { runMoves, type EngineOptions } from "./engine.js";
import { ClusterNotStableError } from "./errors.js";
import { Journal, openJournals } from "./journal.js";
import { keysIn, movedSlots, PURPOSE_TOOL, newPlanId, planMasters, type MigrationPlan, type MigrationPurpose, type Move } from "./plan.js";
import { comparePlan } from "./plan-check.js";
import { keysPerSlot } from "./loads.js";
import { emptiedMasters, fromRecord, protect, restoreRecord, unprotect } from "./protect.js";
import { applyRepairs, plannedTargets, scanRepairs } from "./repair.js";
import { readSnapshot, stableSnapshot, type ClusterTarget, type Snapshot } from "./session.js";
import { describeRepair, type SlotRepair } from "./slot-repair.js";
import { verifyMoves } from "./verify.js";
import { argRef } from "../../registry/words.js";

export interface Planned {
  moves: Move[];
  warnings?: string[];
  /** Anything the verb wants back with the result (e.g. rebalance shares). */
  extra?: Record<string, unknown>;
}

export interface MigrationRequest extends ClusterTarget {
  purpose: MigrationPurpose;
  /** The verb's arguments, normalized: a re-run with equal ones resumes an interrupted plan. */
  request: Record<string, unknown>;
  plan: (snap: Snapshot, pool: NodePool) => Promise<Planned>;
  /** Refuses bad arguments (a typed error) from the first read, before anything is changed. */
  validate?: (snap: Snapshot) => void;
  /** A saved plan (--plan FILE): applied if the cluster still matches it. */
  savedPlan?: MigrationPlan;
  journalDir: string;
  dryRun?: boolean;
  engine?: EngineOptions;
  /** auto: the servers' atomic slot migration where every node involved has it, else key by key. @default "auto" */
  path?: "auto" | "keys" | "atomic";
  /** Wait this long for the move to show on every node. @default 15000 */
  verifyTimeoutMs?: number;
}

export interface MigrationResult {
  applied: boolean;
  plan: MigrationPlan;
  extra?: Record<string, unknown>;
  /** Slots an interrupted run left open, settled before this one started (or, in a dry run, to be). */
  repaired: { slot: number; kind: string; owner: string; description: string }[];
  resumedFrom?: string;
  moved: { slots: number; keys: number; bytes: number; ms: number; keysPerSecond: number };
  timings: { readMs: number; planMs: number; moveMs: number; verifyMs: number; totalMs: number };
  findings: Finding[];
  warnings: string[];
  journal?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function repairRows(repairs: SlotRepair[]) {
  return repairs.map((r) => ({ slot: r.slot, kind: r.kind, owner: r.ownerAddress, description: describeRepair(r) }));
}

/** Counts the keys of each move on its source, when the planner did not. */
async function withKeyCounts(pool: NodePool, map: ClusterMap, moves: Move[], tool: string): Promise<Move[]> {
  if (moves.every((m) => m.keys !== undefined) || moves.length === 0) return moves;
  const counts = await keysPerSlot(pool, map, moves.flatMap((m) => m.slots), { tool });
  return moves.map((m) => (m.keys !== undefined ? m : { ...m, keys: keysIn(m.slots, counts) }));
}

export async function runMigration(req: MigrationRequest, ctx: OpContext): Promise<MigrationResult> {
  const t0 = Date.now();
  const pool = new NodePool(req.access);
  const warnings: string[] = [];
  const auth = migrateAuthFor(req.access);
  try {
    let snap = await readSnapshot(pool, req);
    if (!req.savedPlan) req.validate?.(snap);
    // What an interrupted run left behind: its journal, and the slots it left open.
    const journals = await openJournals(req.journalDir, snap.map.nodes.map((n) => n.id));
    const open = snap.view.nodes.some((n) => n.self.migrating.length || n.self.importing.length);
    let repaired: SlotRepair[] = [];
    let resumed: Journal | undefined;
    if (journals.length) {
      const scan = await scanRepairs(pool, snap.view, snap.map, { planned: plannedTargets(journals.map((j) => j.file)), count: { tool: PURPOSE_TOOL[req.purpose], signal: ctx.signal } });
      repaired = scan.repairs;
      resumed = journals.find((j) => j.file.plan.purpose === req.purpose && same(j.file.plan.request, req.request));
      checkRepairAuth(auth, repaired);
      if (!req.dryRun) {
        ctx.progress({ step: "repair", message: `an interrupted migration (${journals[0].file.plan.id}) left ${repaired.length} slot(s) to settle`, elapsedMs: Date.now() - t0 });
        await applyRepairs(pool, snap.map, scan, auth, { replace: req.engine?.replace });
        for (const j of journals) {
          warnings.push(...(await unprotect(pool, fromRecord(j.file.restore))));
          await j.finish(j === resumed ? "superseded" : "repaired", undefined, j === resumed ? "resumed by a re-run of the same command" : "open slots settled before a new migration");
        }
        snap = await readSnapshot(pool, req);
      }
    } else if (open) {
      throw new ClusterNotStableError(
        "Slots are open (MIGRATING / IMPORTING) and no interrupted redis-pilot migration explains them: another tool may be moving slots right now.",
        [],
      );
    }
    if (!req.dryRun || repaired.length === 0) snap = await stableSnapshot(pool, req, 5000, snap);
    const readMs = Date.now() - t0;

    // The plan: a saved one checked against the cluster, the rest of a resumed one, or a new one.
    const tp = Date.now();
    let planned: Planned;
    let basis = "";
    if (req.savedPlan) {
      const cmp = comparePlan(req.savedPlan, snap.map);
      if (cmp.mismatches.length) throw new PilotError("plan_mismatch", `The saved plan ${req.savedPlan.id} no longer matches the cluster: ${cmp.mismatches[0]}`, `Make a new plan with ${argRef("dryRun", "true", PURPOSE_TOOL[req.purpose])} ${argRef("planOut", "FILE", PURPOSE_TOOL[req.purpose])} (or leave out ${argRef("plan", undefined, PURPOSE_TOOL[req.purpose])}).`, cmp.mismatches);
      planned = { moves: cmp.remaining };
      basis = ` (saved plan ${req.savedPlan.id}, ${cmp.done} slot(s) already in place)`;
    } else if (resumed) {
      const cmp = comparePlan(resumed.file.plan, snap.map);
      planned = { moves: cmp.mismatches.length ? (await req.plan(snap, pool)).moves : cmp.remaining };
      basis = cmp.mismatches.length ? "" : ` (resuming ${resumed.file.plan.id}: ${cmp.done} slot(s) were already moved)`;
    } else {
      planned = await req.plan(snap, pool);
    }
    const moves = await withKeyCounts(pool, snap.map, planned.moves, PURPOSE_TOOL[req.purpose]);
    // Each MIGRATE carries its target's credentials to its source: refused now (dry run too), not half-way.
    const addressOf = (id: string) => snap.map.nodes.find((n) => n.id === id)!.address;
    for (const m of moves) auth(addressOf(m.to), addressOf(m.from));
    const involved = [...new Set(moves.flatMap((m) => [m.from, m.to]))].map((id) => snap.map.nodes.find((n) => n.id === id)!.address);
    const choice = choosePath(await Promise.all(involved.map((a) => detectNode(pool, a))), req.path ?? "auto");
    if (req.path === "atomic" && choice.atomic === "none") throw new ValidationError(`Atomic slot migration was asked for, but ${choice.reason.replace(/^key by key: /, "")}.`, "Use path auto or keys on these servers (Redis 8.4+ and Valkey 9+ have it).");
    const plan: MigrationPlan = {
      version: 1,
      kind: "migration",
      id: newPlanId(),
      createdAt: new Date().toISOString(),
      purpose: req.purpose,
      request: req.request,
      masters: planMasters(snap.map),
      moves,
      path: choice.atomic === "valkey" ? "atomic-valkey" : choice.atomic === "redis" ? "atomic-redis" : "keys",
      pathReason: `${choice.atomic === "none" ? `${choice.reason} (CLUSTER SETSLOT + MIGRATE, pipelined)` : choice.reason}${basis}`,
      warnings: [...(planned.warnings ?? [])],
    };
    const planMs = Date.now() - tp;
    const base = { plan, extra: planned.extra, repaired: repairRows(repaired), ...(resumed ? { resumedFrom: resumed.file.plan.id } : {}) };
    const nothing = { slots: 0, keys: 0, bytes: 0, ms: 0, keysPerSecond: 0 };
    if (req.dryRun) return { ...base, applied: false, moved: nothing, timings: { readMs, planMs, moveMs: 0, verifyMs: 0, totalMs: Date.now() - t0 }, findings: [], warnings };
    if (moves.length === 0) {
      return { ...base, applied: true, moved: nothing, timings: { readMs, planMs, moveMs: 0, verifyMs: 0, totalMs: Date.now() - t0 }, findings: [], warnings };
    }

    const journal = await Journal.create(req.journalDir, plan);
    const tm = Date.now();
    let moved;
    const protection = await protect(pool, emptiedMasters(snap.map, moves));
    if (protection.saved.size) await journal.recordRestore(restoreRecord(protection));
    try {
      moved =
        choice.atomic === "none"
          ? await runMoves({ plan, map: snap.map, pool, migrateAuth: auth, options: req.engine, journal }, ctx)
          : { ...(await runAtomic({ kind: choice.atomic, moves, map: snap.map, pool, onMoveDone: (i, m) => journal.markDone(i, rangesToSlots(m.slots)) }, ctx)), bytes: 0, warnings: [] };
    } catch (err) {
      warnings.push(...(await unprotect(pool, protection)));
      await journal.finish(ctx.signal?.aborted ? "cancelled" : "failed", errorMessage(err));
      throw err;
    }
    warnings.push(...moved.warnings, ...(await unprotect(pool, protection)));
    const moveMs = Date.now() - tm;
    const tv = Date.now();
    ctx.progress({ step: "verify", message: "re-reading every node until each moved slot shows at its target", elapsedMs: Date.now() - t0 });
    const { findings } = await verifyMoves(pool, req, moves, req.verifyTimeoutMs);
    const verifyMs = Date.now() - tv;
    await journal.finish(hasErrors(findings) ? "failed" : "done", hasErrors(findings) ? findings.find((f) => f.severity === "error")?.message : undefined);
    if (hasErrors(findings)) {
      const first = findings.find((f) => f.severity === "error")!;
      throw new VerificationFailedError(`The slots moved but the cluster did not verify: ${first.message}`, findings);
    }
    return {
      ...base,
      applied: true,
      moved: { slots: moved.slots, keys: moved.keys, bytes: moved.bytes, ms: moved.ms, keysPerSecond: Math.round((moved.keys * 1000) / Math.max(1, moved.ms)) },
      timings: { readMs, planMs, moveMs, verifyMs, totalMs: Date.now() - t0 },
      findings,
      warnings,
      journal: journal.path,
    };
  } finally {
    await pool.close();
  }
}

export { movedSlots };
