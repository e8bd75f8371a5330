/**
 * A migration plan as data: which slot ranges move from which master to which, with the
 * keys expected to move, the masters as they were read when planning, and the path that
 * runs (key-by-key MIGRATE, or the servers' own atomic slot migration). Pure and
 * serializable: --dry-run prints it, --plan-out saves it, --plan applies a saved one
 * after checking that the cluster still matches it, and the journal records it.
 */
import { randomBytes } from "node:crypto";
import { countSlots, formatRanges, mergeRanges, type SlotRange } from "../../redis/slots.js";
import type { ClusterMap } from "./cluster-map.js";

export type MigrationPurpose = "reshard" | "rebalance" | "drain";

/** The tool that runs each purpose: an error's next step names it. */
export const PURPOSE_TOOL: Record<MigrationPurpose, string> = { reshard: "cluster_reshard", rebalance: "cluster_rebalance", drain: "cluster_del_node" };
/** keys: CLUSTER SETSLOT + MIGRATE per slot; atomic-*: the servers move whole slot ranges themselves. */
export type MigrationPath = "keys" | "atomic-valkey" | "atomic-redis";

export interface Move {
  /** Source and target master ids. */
  from: string;
  to: string;
  slots: SlotRange[];
  /** Keys expected to move, when counted while planning. */
  keys?: number;
}

export interface PlanMaster {
  id: string;
  address: string;
  slots: SlotRange[];
}

export interface MigrationPlan {
  version: 1;
  kind: "migration";
  id: string;
  createdAt: string;
  purpose: MigrationPurpose;
  /** The request that made it (normalized), so a re-run of the same command resumes it. */
  request: Record<string, unknown>;
  masters: PlanMaster[];
  moves: Move[];
  path: MigrationPath;
  /** Why that path: what was detected on which nodes, or the flag that chose it. */
  pathReason: string;
  warnings: string[];
}

export function newPlanId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}-${randomBytes(3).toString("hex")}`;
}

/** Moves with the same source and target merged, empty ones dropped, ranges sorted. */
export function normalizeMoves(moves: Move[]): Move[] {
  const byPair = new Map<string, Move>();
  for (const m of moves) {
    if (countSlots(m.slots) === 0) continue;
    const key = `${m.from}>${m.to}`;
    const prev = byPair.get(key);
    if (prev) {
      prev.slots = mergeRanges([...prev.slots, ...m.slots]);
      if (m.keys !== undefined) prev.keys = (prev.keys ?? 0) + m.keys;
    } else byPair.set(key, { ...m, slots: mergeRanges(m.slots) });
  }
  return [...byPair.values()];
}

export function planMasters(map: ClusterMap): PlanMaster[] {
  return map.nodes.filter((n) => n.role === "master").map((n) => ({ id: n.id, address: n.address, slots: n.slots }));
}

export function movedSlots(plan: Pick<MigrationPlan, "moves">): number {
  return plan.moves.reduce((n, m) => n + countSlots(m.slots), 0);
}

/** Expected keys per slot from a per-slot key count table, summed over ranges. */
export function keysIn(ranges: SlotRange[], keysPerSlot?: ArrayLike<number>): number | undefined {
  if (!keysPerSlot) return undefined;
  let n = 0;
  for (const r of ranges) for (let s = r.start; s <= r.end; s++) n += keysPerSlot[s] ?? 0;
  return n;
}

/** One line per move, e.g. "127.0.0.1:7000 -> 127.0.0.1:7001  0-4095 (4096 slots, 50012 keys)". */
export function formatMoves(plan: Pick<MigrationPlan, "moves" | "masters">, max = 20): string[] {
  const name = (id: string) => plan.masters.find((m) => m.id === id)?.address ?? id.slice(0, 8);
  const lines = plan.moves.slice(0, max).map((m) => {
    const n = countSlots(m.slots);
    const ranges = m.slots.length > 6 ? `${formatRanges(m.slots.slice(0, 6))},... (${m.slots.length} ranges)` : formatRanges(m.slots);
    return `${name(m.from)} -> ${name(m.to)}  ${ranges} (${n} slot${n === 1 ? "" : "s"}${m.keys !== undefined ? `, ${m.keys} keys` : ""})`;
  });
  if (plan.moves.length > max) lines.push(`... and ${plan.moves.length - max} more moves`);
  return lines;
}
