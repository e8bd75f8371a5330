/**
 * drain (del-node --drain): every slot of one master goes to the remaining masters in
 * proportion to how far each is below its weighted share after the drain, so the slots
 * spread out (never all onto one unless the weights say so). Others' slots stay put.
 */
import { ValidationError } from "../../errors.js";
import { rangesToSlots, slotsToRanges } from "../../redis/slots.js";
import { findMaster, mastersOf, slotCount, type ClusterMap } from "./cluster-map.js";
import { keysIn, type Move } from "./plan.js";
import { weightedShares } from "./plan-rebalance.js";

export interface DrainRequest {
  node: string;
  /** Master ref -> weight among the receivers (default 1). */
  weights?: Record<string, number>;
}

export function planDrain(map: ClusterMap, req: DrainRequest, keysPerSlot?: ArrayLike<number>): Move[] {
  const drained = findMaster(map, req.node, "node to drain");
  const weights = new Map<string, number>();
  for (const [ref, w] of Object.entries(req.weights ?? {})) {
    if (!Number.isFinite(w) || w < 0) throw new ValidationError(`Weight ${w} for ${ref} is not a number >= 0.`, "Give weights as ID=W with W >= 0.");
    weights.set(findMaster(map, ref, "weighted node").id, w);
  }
  const receivers = mastersOf(map)
    .filter((m) => m.id !== drained.id)
    .map((node) => ({ node, weight: weights.get(node.id) ?? 1 }))
    .filter((r) => r.weight > 0);
  const slots = rangesToSlots(drained.slots);
  if (slots.length === 0) return [];
  if (receivers.length === 0) {
    throw new ValidationError(`${drained.address} is the only master with a weight above 0: its ${slots.length} slots have nowhere to go.`, "Add a master first (cluster add-node), then drain.");
  }
  const wanted = weightedShares(16384, receivers.map((r) => r.weight));
  const deficit = receivers.map((r, i) => Math.max(0, wanted[i] - slotCount(r.node)));
  // Deficits add up to at least the drained slots; split those slots in proportion to them.
  const shares = deficit.some((d) => d > 0) ? weightedShares(slots.length, deficit) : weightedShares(slots.length, receivers.map((r) => r.weight));
  const moves: Move[] = [];
  let at = 0;
  receivers.forEach((r, i) => {
    if (shares[i] === 0) return;
    const ranges = slotsToRanges(slots.slice(at, at + shares[i]));
    at += shares[i];
    const keys = keysIn(ranges, keysPerSlot);
    moves.push({ from: drained.id, to: r.node.id, slots: ranges, ...(keys !== undefined ? { keys } : {}) });
  });
  return moves;
}
