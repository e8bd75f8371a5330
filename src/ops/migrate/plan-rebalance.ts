/**
 * rebalance: give every master its weighted share. By slot count (as redis-cli does),
 * or by load (keys or bytes per slot) so that a master holding the hot slots gives
 * some away even when slot counts are even. Pure: the map, the weights and (for the
 * load modes) a per-slot load table in, moves out.
 */
import { ValidationError } from "../../errors.js";
import { SLOT_COUNT, rangesToSlots, slotsToRanges } from "../../redis/slots.js";
import { findMaster, mastersOf, slotCount, type ClusterMap, type MapNode } from "./cluster-map.js";
import { keysIn, normalizeMoves, type Move } from "./plan.js";
import { argRef } from "../../registry/words.js";

export type BalanceMode = "slots" | "keys" | "memory";

export interface RebalanceRequest {
  /** Master ref -> weight (default 1 each). Weight 0 empties a master. */
  weights?: Record<string, number>;
  /** Percent a master may stray from its share before anything moves. @default 2 */
  threshold?: number;
  /** Let masters without slots take part. @default false */
  useEmptyMasters?: boolean;
  mode?: BalanceMode;
}

export interface MasterShare {
  id: string;
  address: string;
  weight: number;
  /** Slots (slots mode) or keys/bytes (load modes): now and wanted. */
  current: number;
  wanted: number;
}

export interface RebalanceOutcome {
  moves: Move[];
  shares: MasterShare[];
  /** Every master was already within the threshold. */
  balanced: boolean;
}

/** Integer shares of `total` proportional to weights, largest remainder first, summing to total. */
export function weightedShares(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const shares = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = total - shares.reduce((a, b) => a + b, 0); left > 0 && order.length; k++, left--) shares[order[k % order.length][1]]++;
  return shares;
}

function participants(map: ClusterMap, req: RebalanceRequest): { node: MapNode; weight: number }[] {
  const weights = new Map<string, number>();
  for (const [ref, w] of Object.entries(req.weights ?? {})) {
    if (!Number.isFinite(w) || w < 0) throw new ValidationError(`Weight ${w} for ${ref} is not a number >= 0.`, "Give weights as ID=W with W >= 0.");
    weights.set(findMaster(map, ref, "weighted node").id, w);
  }
  const list = mastersOf(map)
    .filter((m) => req.useEmptyMasters || slotCount(m) > 0 || (weights.get(m.id) ?? 0) > 0)
    .map((node) => ({ node, weight: weights.get(node.id) ?? 1 }));
  if (list.filter((p) => p.weight > 0).length === 0) throw new ValidationError("Every master would have weight 0.", "Give at least one master a weight above 0.");
  return list;
}

function outside(current: number, wanted: number, threshold: number): boolean {
  if (wanted === 0) return current > 0;
  return (Math.abs(current - wanted) / wanted) * 100 > threshold;
}

/** Slot-count mode: donors give their highest slots to receivers, largest gaps first. */
function bySlots(parts: { node: MapNode; weight: number }[], wanted: number[]): Move[] {
  const owned = parts.map((p) => rangesToSlots(p.node.slots));
  const surplus = parts.map((_, i) => owned[i].length - wanted[i]);
  const donors = parts.map((_, i) => i).filter((i) => surplus[i] > 0).sort((a, b) => surplus[b] - surplus[a]);
  const receivers = parts.map((_, i) => i).filter((i) => surplus[i] < 0).sort((a, b) => surplus[a] - surplus[b]);
  const moves: Move[] = [];
  let r = 0;
  for (const d of donors) {
    while (surplus[d] > 0 && r < receivers.length) {
      const to = receivers[r];
      const k = Math.min(surplus[d], -surplus[to]);
      const slots = owned[d].splice(owned[d].length - k, k);
      moves.push({ from: parts[d].node.id, to: parts[to].node.id, slots: slotsToRanges(slots) });
      surplus[d] -= k;
      surplus[to] += k;
      if (surplus[to] === 0) r++;
    }
  }
  return moves;
}

/** Load mode: move single slots, largest that fits the gap, from the most loaded to the least loaded. */
function byLoad(parts: { node: MapNode; weight: number }[], wanted: number[], load: ArrayLike<number>, threshold: number): Move[] {
  const current = parts.map((p) => rangesToSlots(p.node.slots).reduce((n, s) => n + (load[s] ?? 0), 0));
  // Each master's slots by load, ascending; taken slots are marked, not spliced.
  const pools = parts.map((p) => rangesToSlots(p.node.slots).sort((a, b) => (load[a] ?? 0) - (load[b] ?? 0)));
  const taken = new Set<number>();
  const moved: { from: number; to: number; slot: number }[] = [];
  for (let guard = 0; guard < SLOT_COUNT; guard++) {
    const over = current.map((c, i) => c - wanted[i]);
    const d = over.indexOf(Math.max(...over));
    const r = over.indexOf(Math.min(...over));
    if (!outside(current[d], wanted[d], threshold) && !outside(current[r], wanted[r], threshold)) break;
    const gap = Math.min(over[d], -over[r]);
    const pool = pools[d];
    // Largest untaken slot with 0 < load <= gap (binary search, then step down past taken ones).
    let lo = 0;
    let hi = pool.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((load[pool[mid]] ?? 0) <= gap) (at = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    while (at >= 0 && taken.has(pool[at])) at--;
    if (at < 0 || (load[pool[at]] ?? 0) === 0) break;
    const slot = pool[at];
    taken.add(slot);
    current[d] -= load[slot] ?? 0;
    current[r] += load[slot] ?? 0;
    moved.push({ from: d, to: r, slot });
  }
  return moved.map((m) => ({ from: parts[m.from].node.id, to: parts[m.to].node.id, slots: [{ start: m.slot, end: m.slot }] }));
}

export function planRebalance(map: ClusterMap, req: RebalanceRequest, load?: ArrayLike<number>): RebalanceOutcome {
  const mode = req.mode ?? "slots";
  const threshold = req.threshold ?? 2;
  if (!Number.isFinite(threshold) || threshold < 0) throw new ValidationError(`Threshold ${threshold} is not a percentage >= 0.`, `Pass ${argRef("threshold", "PCT", "cluster_rebalance")}, e.g. 2.`);
  if (mode !== "slots" && !load) throw new ValidationError(`Rebalancing by ${mode} needs the ${mode} per slot.`, "This is a bug in the caller.");
  const parts = participants(map, req);
  const loadOf = (n: MapNode) => rangesToSlots(n.slots).reduce((a, s) => a + (mode === "slots" ? 1 : (load![s] ?? 0)), 0);
  const currents = parts.map((p) => loadOf(p.node));
  const total = currents.reduce((a, b) => a + b, 0);
  const wanted = weightedShares(total, parts.map((p) => p.weight));
  const shares = parts.map((p, i) => ({ id: p.node.id, address: p.node.address, weight: p.weight, current: currents[i], wanted: wanted[i] }));
  const balanced = !parts.some((_, i) => outside(currents[i], wanted[i], threshold));
  if (balanced) return { moves: [], shares, balanced };
  const raw = mode === "slots" ? bySlots(parts, wanted) : byLoad(parts, wanted, load!, threshold);
  const keysPerSlot = mode === "keys" ? load : undefined;
  const moves = normalizeMoves(raw).map((m) => {
    const keys = keysIn(m.slots, keysPerSlot);
    return keys === undefined ? m : { ...m, keys };
  });
  return { moves, shares, balanced };
}
