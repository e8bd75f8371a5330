/**
 * The split-brain reading of a partition drill's history, pure. Writers sit on named
 * sides of the cut (meta.sides: process -> "minority" | "majority"); events "partition"
 * and "heal" bound the cut. An operation invoked after the cut can only have reached a
 * master on its own side, so:
 *
 * - the minority side's acknowledgments during the cut come from the old master, which
 *   the heal demotes: the checker counts those writes lost;
 * - the majority side's first acknowledgment during the cut is the promoted master's
 *   first write: failover as a client sees it;
 * - the split-brain window is how long both masters acknowledged writes at once: from the
 *   majority's first acknowledgment to the minority's last (0 when the old master stopped
 *   first).
 */
import { checkHistory, writesOf, type WriteRecord } from "../checker.js";
import type { History } from "../history.js";

export type Side = "minority" | "majority";

export interface SplitBrainReport {
  /** When the cut and the heal happened (ms since the history started); undefined when missing. */
  partitionAt?: number;
  healAt?: number;
  /** Writes the old master (minority side) acknowledged during the cut. */
  minorityAcked: number;
  /** Of those, lost after the heal (judged by the final read, as the checker does). */
  minorityLost: number;
  /** ms from the cut to the old master's last acknowledgment (0: none during the cut). */
  minorityAcceptedMs: number;
  /** ms from the cut to the new master's first acknowledgment; undefined: no failover seen during the cut. */
  failoverMs?: number;
  /** ms both sides acknowledged writes at once. */
  windowMs: number;
  /** The old master still acknowledged writes right before the heal (its window was cut short by the heal, not by Redis). */
  minorityOpenAtHeal: boolean;
}

/** The meta.sides map (JSON turns its keys into strings). */
export function sidesOf(history: History): Map<number, Side> {
  const sides = (history.meta.sides ?? {}) as Record<string, Side>;
  return new Map(Object.entries(sides).map(([p, s]) => [Number(p), s]));
}

const countLost = (writes: WriteRecord[], lost: Set<string>) => writes.filter((w) => lost.has(`${w.key}=${w.value}`)).length;
const round = (ms: number) => Math.round(ms * 10) / 10;

/** How close to the heal an acknowledgment counts as "still open" (two write round trips at most). */
const OPEN_AT_HEAL_MS = 100;

/** Acknowledged writes the final read no longer holds, as "key=value": every one the checker finds. */
function lostWrites(history: History): Set<string> {
  const { lostSample } = checkHistory(history, { sample: Number.POSITIVE_INFINITY }).writes;
  return new Set(lostSample.map((l) => `${l.key}=${l.value}`));
}

export function splitBrain(history: History): SplitBrainReport {
  const partitionAt = history.events.find((e) => e.kind === "partition")?.time;
  const healAt = history.events.find((e) => e.kind === "heal")?.time;
  const empty: SplitBrainReport = { partitionAt, healAt, minorityAcked: 0, minorityLost: 0, minorityAcceptedMs: 0, windowMs: 0, minorityOpenAtHeal: false };
  if (partitionAt === undefined) return empty;
  const end = healAt ?? Number.POSITIVE_INFINITY;
  const sides = sidesOf(history);
  const during = (w: WriteRecord, side: Side) => w.outcome === "ok" && sides.get(w.process) === side && w.invokedAt >= partitionAt && w.completedAt <= end;
  const writes = writesOf(history);
  const minority = writes.filter((w) => during(w, "minority"));
  const majority = writes.filter((w) => during(w, "majority"));
  const lastMinority = minority.length ? Math.max(...minority.map((w) => w.completedAt)) : undefined;
  const firstMajority = majority.length ? Math.min(...majority.map((w) => w.completedAt)) : undefined;
  return {
    partitionAt,
    healAt,
    minorityAcked: minority.length,
    minorityLost: minority.length ? countLost(minority, lostWrites(history)) : 0,
    minorityAcceptedMs: lastMinority === undefined ? 0 : round(lastMinority - partitionAt),
    ...(firstMajority !== undefined ? { failoverMs: round(firstMajority - partitionAt) } : {}),
    windowMs: lastMinority !== undefined && firstMajority !== undefined ? round(Math.max(0, lastMinority - firstMajority)) : 0,
    minorityOpenAtHeal: lastMinority !== undefined && healAt !== undefined && healAt - lastMinority <= OPEN_AT_HEAL_MS,
  };
}
