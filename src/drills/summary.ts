/** Numbers across a drill's runs: min / median / max of what each run's checker reported. Pure. */
import type { DrillReport } from "./checker.js";

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface DrillSummary {
  runs: number;
  acknowledged: Spread;
  lost: Spread;
  /** Lost as a share of acknowledged writes, summed over all runs (0-1). */
  lostShare: number;
  unknown: Spread;
  failed: Spread;
  /** Longest gap between two successful writes: the unavailability a client saw. */
  unavailableMs: Spread;
  staleReads: Spread;
  maxStalenessMs: Spread;
  replicaShare?: Spread;
  /** Runs whose checker found nothing lost and no failed write present. */
  validRuns: number;
}

export function spread(values: number[]): Spread {
  if (values.length === 0) return { min: 0, median: 0, max: 0 };
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { min: s[0], median: Math.round(median * 100) / 100, max: s[s.length - 1] };
}

export function summarizeRuns(reports: DrillReport[]): DrillSummary {
  const of = (f: (r: DrillReport) => number) => spread(reports.map(f));
  const acked = reports.reduce((a, r) => a + r.writes.ok, 0);
  const lost = reports.reduce((a, r) => a + r.writes.lost, 0);
  const shares = reports.map((r) => r.reads.replicaShare).filter((s): s is number => s !== undefined);
  return {
    runs: reports.length,
    acknowledged: of((r) => r.writes.ok),
    lost: of((r) => r.writes.lost),
    lostShare: acked ? Math.round((lost / acked) * 10000) / 10000 : 0,
    unknown: of((r) => r.writes.unknown),
    failed: of((r) => r.writes.failed),
    unavailableMs: of((r) => r.unavailability.longestGapMs),
    staleReads: of((r) => r.reads.stale),
    maxStalenessMs: of((r) => r.reads.maxStalenessMs),
    ...(shares.length ? { replicaShare: spread(shares) } : {}),
    validRuns: reports.filter((r) => r.valid).length,
  };
}

const fmt = (s: Spread, unit = "") => (s.min === s.max ? `${s.min}${unit}` : `${s.median}${unit} (${s.min}-${s.max})`);

/** One line for people: "5 runs: lost 0, unknown 1 (0-2), unavailable 180 ms (150-210)". */
export function summaryLine(s: DrillSummary): string {
  const parts = [
    `${s.runs} run${s.runs === 1 ? "" : "s"}`,
    `acknowledged ${fmt(s.acknowledged)}`,
    `lost ${fmt(s.lost)}${s.lost.max ? ` (${(s.lostShare * 100).toFixed(2)}% of acknowledged)` : ""}`,
    `unknown ${fmt(s.unknown)}`,
    `refused ${fmt(s.failed)}`,
    `unavailable ${fmt(s.unavailableMs, " ms")}`,
  ];
  if (s.staleReads.max > 0) parts.push(`stale reads ${fmt(s.staleReads)} (max ${s.maxStalenessMs.max} ms behind)`);
  if (s.replicaShare) parts.push(`reads from replicas ${fmt({ min: s.replicaShare.min * 100, median: s.replicaShare.median * 100, max: s.replicaShare.max * 100 }, "%")}`);
  return parts.join(", ");
}
