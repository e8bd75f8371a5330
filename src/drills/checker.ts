/**
 * The checker: a pure reading of a drill's history. It says which acknowledged writes
 * the final read no longer holds (lost), which reads returned older data than a write
 * already acknowledged before they began (stale), which outcomes stay unknown (never
 * counted as lost or kept), and when no write succeeded for longer than a threshold
 * (unavailability windows).
 *
 * Model: every write SETs `key` to a number, and a key's numbers only grow, so a key's
 * final value v keeps every write to it of value <= v. Workloads write each value once.
 */
import type { History, HistoryOp } from "./history.js";

export interface CheckOptions {
  /** A gap between two successful writes longer than this is an unavailability window. @default 25 */
  minGapMs?: number;
  /** How many lost writes to list by key. @default 10 */
  sample?: number;
}

export interface WriteRecord {
  key: string;
  value: number;
  outcome: "ok" | "fail" | "info";
  invokedAt: number;
  completedAt: number;
  process: number;
  error?: string;
}

export interface UnavailabilityWindow {
  /** Completion time of the last successful write before the gap (or the first write's invoke). */
  start: number;
  /** Completion time of the next successful write, or the end of the history when none came. */
  end: number;
  durationMs: number;
  /** Writes refused (fail) and of unknown outcome (info) that completed inside the window. */
  failed: number;
  unknown: number;
  /** No write succeeded again before the history ended. */
  ongoing: boolean;
}

export interface DrillReport {
  writes: {
    attempted: number;
    ok: number;
    failed: number;
    unknown: number;
    /** Acknowledged writes the final read does not hold. */
    lost: number;
    /** Acknowledged writes the final read holds. */
    kept: number;
    /** Unknown-outcome writes the final read holds / does not hold: reported, never judged. */
    unknownPresent: number;
    unknownAbsent: number;
    /** Writes reported failed that the final read holds: the client was told a lie. */
    failedButPresent: number;
    lostSample: { key: string; value: number; ackedAt: number }[];
  };
  reads: {
    ok: number;
    failed: number;
    unknown: number;
    /** Reads older than a write acknowledged before the read began. */
    stale: number;
    /** For stale reads: invoke time of the read minus the acknowledgment of the oldest write it missed. */
    maxStalenessMs: number;
    /** Successful reads per serving node. */
    byNode: Record<string, number>;
    /** Share (0-1) of successful reads served by nodes the history's meta.roles calls replicas. */
    replicaShare?: number;
  };
  unavailability: {
    minGapMs: number;
    windows: UnavailabilityWindow[];
    totalMs: number;
    /** Longest gap between two successful writes, whether over the threshold or not. */
    longestGapMs: number;
  };
  /** A final read was recorded, so lost/kept could be judged. */
  finalRead: boolean;
  /** Nothing acknowledged was lost and no failed write showed up. */
  valid: boolean;
}

type Completion = HistoryOp & { type: "ok" | "fail" | "info" };

/** Each invoke paired with its completion; an invoke without one counts as unknown at the end. */
function pairs(ops: HistoryOp[]): { invoke: HistoryOp; done: Completion }[] {
  const invokes = new Map<number, HistoryOp>();
  const out: { invoke: HistoryOp; done: Completion }[] = [];
  for (const op of ops) {
    if (op.type === "invoke") invokes.set(op.id, op);
    else {
      const invoke = invokes.get(op.id);
      if (!invoke) continue;
      invokes.delete(op.id);
      out.push({ invoke, done: op as Completion });
    }
  }
  const end = ops.length ? ops[ops.length - 1].time : 0;
  for (const invoke of invokes.values()) out.push({ invoke, done: { ...invoke, type: "info", time: end, error: "no completion recorded" } });
  return out;
}

export function writesOf(history: History): WriteRecord[] {
  return pairs(history.ops)
    .filter((p) => p.invoke.f === "write" && p.invoke.key !== undefined && typeof p.invoke.value === "number")
    .map(({ invoke, done }) => ({
      key: invoke.key!,
      value: invoke.value as number,
      outcome: done.type,
      invokedAt: invoke.time,
      completedAt: done.time,
      process: invoke.process,
      ...(done.error ? { error: done.error } : {}),
    }))
    .sort((a, b) => a.completedAt - b.completedAt);
}

function finalState(history: History): Record<string, number | null> | undefined {
  const reads = history.ops.filter((o) => o.f === "final-read" && o.type === "ok" && o.value && typeof o.value === "object");
  return reads.length ? (reads[reads.length - 1].value as Record<string, number | null>) : undefined;
}

function holds(final: Record<string, number | null>, w: WriteRecord): boolean | undefined {
  if (!(w.key in final)) return undefined;
  const v = final[w.key];
  return v !== null && v >= w.value;
}

function judgeWrites(writes: WriteRecord[], final: Record<string, number | null> | undefined, sample: number): DrillReport["writes"] {
  const count = (o: WriteRecord["outcome"]) => writes.filter((w) => w.outcome === o).length;
  const r: DrillReport["writes"] = { attempted: writes.length, ok: count("ok"), failed: count("fail"), unknown: count("info"), lost: 0, kept: 0, unknownPresent: 0, unknownAbsent: 0, failedButPresent: 0, lostSample: [] };
  if (!final) return r;
  const valuesByKey = new Map<string, number[]>();
  for (const w of writes) valuesByKey.set(w.key, [...(valuesByKey.get(w.key) ?? []), w.value]);
  for (const w of writes) {
    const held = holds(final, w);
    if (held === undefined) continue;
    if (w.outcome === "ok") {
      if (held) r.kept++;
      else {
        r.lost++;
        if (r.lostSample.length < sample) r.lostSample.push({ key: w.key, value: w.value, ackedAt: w.completedAt });
      }
    } else if (w.outcome === "info") {
      if (held) r.unknownPresent++;
      else r.unknownAbsent++;
    } else if (final[w.key] === w.value && valuesByKey.get(w.key)!.filter((v) => v === w.value).length === 1) {
      // Exactly this failed write's value is there and nothing else wrote it.
      r.failedButPresent++;
    }
  }
  return r;
}

function judgeReads(history: History, writes: WriteRecord[]): DrillReport["reads"] {
  const reads = pairs(history.ops).filter((p) => p.invoke.f === "read");
  const acked = writes.filter((w) => w.outcome === "ok");
  const ackedByKey = new Map<string, WriteRecord[]>();
  for (const w of acked) ackedByKey.set(w.key, [...(ackedByKey.get(w.key) ?? []), w]);
  const byNode: Record<string, number> = {};
  let stale = 0;
  let maxStalenessMs = 0;
  for (const { invoke, done } of reads) {
    if (done.type !== "ok") continue;
    if (done.node) byNode[done.node] = (byNode[done.node] ?? 0) + 1;
    const seen = typeof done.value === "number" ? done.value : null;
    const missed = (ackedByKey.get(invoke.key ?? "") ?? []).filter((w) => w.completedAt < invoke.time && (seen === null || w.value > seen));
    if (missed.length === 0) continue;
    stale++;
    maxStalenessMs = Math.max(maxStalenessMs, invoke.time - Math.min(...missed.map((w) => w.completedAt)));
  }
  const ok = reads.filter((p) => p.done.type === "ok").length;
  const roles = (history.meta.roles ?? {}) as Record<string, string>;
  const fromReplicas = Object.entries(byNode).filter(([node]) => roles[node] === "replica").reduce((a, [, n]) => a + n, 0);
  return {
    ok,
    failed: reads.filter((p) => p.done.type === "fail").length,
    unknown: reads.filter((p) => p.done.type === "info").length,
    stale,
    maxStalenessMs: Math.round(maxStalenessMs * 100) / 100,
    byNode,
    ...(Object.keys(roles).length && ok ? { replicaShare: Math.round((fromReplicas / ok) * 1000) / 1000 } : {}),
  };
}

function judgeAvailability(history: History, writes: WriteRecord[], minGapMs: number): DrillReport["unavailability"] {
  const windows: UnavailabilityWindow[] = [];
  let longestGapMs = 0;
  if (writes.length === 0) return { minGapMs, windows, totalMs: 0, longestGapMs };
  const end = Math.max(...history.ops.map((o) => o.time));
  const oks = writes.filter((w) => w.outcome === "ok").map((w) => w.completedAt);
  // Gaps: from the first invoke to the first ok, between oks, and from the last ok to the end when writes still failed there.
  const firstInvoke = Math.min(...writes.map((w) => w.invokedAt));
  const bounds: { start: number; end: number; ongoing: boolean }[] = [];
  let prev = firstInvoke;
  for (const t of oks) {
    bounds.push({ start: prev, end: t, ongoing: false });
    prev = t;
  }
  if (writes.some((w) => w.outcome !== "ok" && w.completedAt > prev) || oks.length === 0) bounds.push({ start: prev, end, ongoing: true });
  for (const b of bounds) {
    const gap = b.end - b.start;
    longestGapMs = Math.max(longestGapMs, gap);
    if (gap <= minGapMs) continue;
    const inside = writes.filter((w) => w.outcome !== "ok" && w.completedAt > b.start && w.completedAt <= b.end);
    windows.push({
      start: b.start,
      end: b.end,
      durationMs: Math.round(gap * 100) / 100,
      failed: inside.filter((w) => w.outcome === "fail").length,
      unknown: inside.filter((w) => w.outcome === "info").length,
      ongoing: b.ongoing,
    });
  }
  const totalMs = Math.round(windows.reduce((a, w) => a + w.durationMs, 0) * 100) / 100;
  return { minGapMs, windows, totalMs, longestGapMs: Math.round(longestGapMs * 100) / 100 };
}

export function checkHistory(history: History, opts: CheckOptions = {}): DrillReport {
  const writes = writesOf(history);
  const final = finalState(history);
  const w = judgeWrites(writes, final, opts.sample ?? 10);
  return {
    writes: w,
    reads: judgeReads(history, writes),
    unavailability: judgeAvailability(history, writes, opts.minGapMs ?? 25),
    finalRead: final !== undefined,
    valid: final !== undefined && w.lost === 0 && w.failedButPresent === 0,
  };
}
