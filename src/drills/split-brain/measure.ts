/**
 * The split-brain reading of a partition drill's history, pure. Writers sit on named
 * sides of the cut (meta.sides: process -> "minority" | "majority"); events "partition",
 * "heal" and "rejoined" (the old master is a replica again) bound what happened. An
 * operation invoked after the cut could only reach a master on its own side, so:
 *
 * - the minority side's acknowledgments from the cut until the old master rejoined come
 *   from the old master, which the rejoin throws away: the checker counts them lost. The
 *   heal does not end them: a Sentinel-managed old master keeps taking writes until a
 *   sentinel reconfigures it (seconds after the heal);
 * - the majority side's first acknowledgment after the cut is the promoted master's first
 *   write: failover as a client sees it;
 * - the split-brain window is how long both masters acknowledged writes at once: from the
 *   majority's first acknowledgment to the minority's last (0 when the old master stopped
 *   first).
 */
import { checkHistory, writesOf, type WriteRecord } from "../checker.js";
import type { History } from "../history.js";
import { spread, type Spread } from "../summary.js";

export type Side = "minority" | "majority";

export interface SplitBrainReport {
  /** When the cut, the heal and the old master's rejoin happened (ms since the history started), when they did. */
  partitionAt?: number;
  healAt?: number;
  rejoinedAt?: number;
  /** Writes the old master (minority side) acknowledged from the cut until it rejoined. */
  minorityAcked: number;
  /** Of those, acknowledged after the heal, before the old master rejoined. */
  minorityAckedAfterHeal: number;
  /** Of those, lost (judged by the final read, as the checker does). */
  minorityLost: number;
  /** ms from the cut to the old master's last acknowledgment (0: none after the cut). */
  minorityAcceptedMs: number;
  /** ms from the cut to the new master's first acknowledgment; undefined: the majority side wrote nothing during the cut. */
  failoverMs?: number;
  /** ms both sides acknowledged writes at once. */
  windowMs: number;
}

/** The meta.sides map (JSON turns its keys into strings). */
export function sidesOf(history: History): Map<number, Side> {
  const sides = (history.meta.sides ?? {}) as Record<string, Side>;
  return new Map(Object.entries(sides).map(([p, s]) => [Number(p), s]));
}

const countLost = (writes: WriteRecord[], lost: Set<string>) => writes.filter((w) => lost.has(`${w.key}=${w.value}`)).length;
const round = (ms: number) => Math.round(ms * 10) / 10;

/** Acknowledged writes the final read no longer holds, as "key=value": every one the checker finds. */
function lostWrites(history: History): Set<string> {
  const { lostSample } = checkHistory(history, { sample: Number.POSITIVE_INFINITY }).writes;
  return new Set(lostSample.map((l) => `${l.key}=${l.value}`));
}

export function splitBrain(history: History): SplitBrainReport {
  const at = (kind: string) => history.events.find((e) => e.kind === kind)?.time;
  const [partitionAt, healAt, rejoinedAt] = [at("partition"), at("heal"), at("rejoined")];
  const base = { partitionAt, healAt, rejoinedAt, minorityAcked: 0, minorityAckedAfterHeal: 0, minorityLost: 0, minorityAcceptedMs: 0, windowMs: 0 };
  if (partitionAt === undefined) return base;
  const sides = sidesOf(history);
  const writes = writesOf(history).filter((w) => w.outcome === "ok" && w.invokedAt >= partitionAt);
  // The old master answers until it turns replica; the new master's first write is its first acknowledgment after the cut.
  const minority = writes.filter((w) => sides.get(w.process) === "minority" && w.completedAt <= (rejoinedAt ?? Number.POSITIVE_INFINITY));
  const majority = writes.filter((w) => sides.get(w.process) === "majority" && w.completedAt <= (healAt ?? Number.POSITIVE_INFINITY));
  const lastMinority = minority.length ? Math.max(...minority.map((w) => w.completedAt)) : undefined;
  const firstMajority = majority.length ? Math.min(...majority.map((w) => w.completedAt)) : undefined;
  return {
    ...base,
    minorityAcked: minority.length,
    minorityAckedAfterHeal: healAt === undefined ? 0 : minority.filter((w) => w.invokedAt >= healAt).length,
    minorityLost: minority.length ? countLost(minority, lostWrites(history)) : 0,
    minorityAcceptedMs: lastMinority === undefined ? 0 : round(lastMinority - partitionAt),
    ...(firstMajority !== undefined ? { failoverMs: round(firstMajority - partitionAt) } : {}),
    windowMs: lastMinority !== undefined && firstMajority !== undefined ? round(Math.max(0, lastMinority - firstMajority)) : 0,
  };
}

export interface SplitBrainSummary {
  runs: number;
  windowMs: Spread;
  /** Acknowledged writes lost when the old master rejoined. */
  lostAtHeal: Spread;
  minorityAcceptedMs: Spread;
  /** Over the runs where the majority side wrote during the cut. */
  failoverMs: Spread;
  /** Runs where the majority side wrote nothing during the cut (no failover seen by its client). */
  noFailoverRuns: number;
}

export function summarizeSplitBrain(reports: SplitBrainReport[]): SplitBrainSummary {
  const failovers = reports.flatMap((r) => (r.failoverMs === undefined ? [] : [r.failoverMs]));
  return {
    runs: reports.length,
    windowMs: spread(reports.map((r) => r.windowMs)),
    lostAtHeal: spread(reports.map((r) => r.minorityLost)),
    minorityAcceptedMs: spread(reports.map((r) => r.minorityAcceptedMs)),
    failoverMs: spread(failovers),
    noFailoverRuns: reports.length - failovers.length,
  };
}
