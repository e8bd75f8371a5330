/**
 * reshard: move N slots (or the named slot ranges) from one or more masters (or all
 * others) to one target master. Pure; every refusal is a typed error raised before any
 * server is touched: unknown node, a replica as source or target, the target among the
 * sources, slots out of range, sources without enough slots, ranges not owned by a source.
 */
import { ValidationError } from "../../errors.js";
import { countSlots, formatRanges, slotsToRanges, type SlotRange } from "../../redis/slots.js";
import { findMaster, mastersOf, slotCount, type ClusterMap, type MapNode } from "./cluster-map.js";
import { keysIn, normalizeMoves, type Move } from "./plan.js";
import { argRef, toolRef } from "../../registry/words.js";

export interface ReshardRequest {
  /** Master refs, or "all" for every master but the target. */
  from: string[] | "all";
  to: string;
  /** How many slots, or exactly which. */
  slots: number | SlotRange[];
}

function sources(map: ClusterMap, req: ReshardRequest, target: MapNode): MapNode[] {
  if (req.from === "all") return mastersOf(map).filter((m) => m.id !== target.id && m.slots.length > 0);
  const found = req.from.map((ref) => findMaster(map, ref, "source"));
  const dup = found.find((n, i) => found.findIndex((m) => m.id === n.id) !== i);
  if (dup) throw new ValidationError(`The source ${dup.address} is named twice.`, "Name each source once.");
  const self = found.find((n) => n.id === target.id);
  if (self) throw new ValidationError(`The target ${self.address} is also a source.`, `Leave the target out of ${argRef("from", undefined, "cluster_reshard")} (${argRef("from", "all", "cluster_reshard")} means every other master).`);
  return found;
}

/** Slots taken from each source in proportion to what it owns, lowest slots first (as redis-cli does). */
function takeCount(srcs: MapNode[], n: number): Map<string, number[]> {
  const owned = srcs.map((s) => slotCount(s));
  const total = owned.reduce((a, b) => a + b, 0);
  if (n > total) {
    throw new ValidationError(
      `The source${srcs.length > 1 ? "s own" : " owns"} ${total} slot${total === 1 ? "" : "s"}, fewer than the ${n} asked for.`,
      `Ask for at most ${total} slots, or add sources (${argRef("from", "all", "cluster_reshard")}).`,
    );
  }
  // Largest-remainder rounding, so the shares add up to exactly n.
  const exact = owned.map((o) => (n * o) / total);
  const share = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = n - share.reduce((a, b) => a + b, 0); left > 0; k++, left--) share[order[k % order.length][1]]++;
  const taken = new Map<string, number[]>();
  srcs.forEach((s, i) => {
    const slots: number[] = [];
    for (const r of s.slots) for (let x = r.start; x <= r.end && slots.length < share[i]; x++) slots.push(x);
    taken.set(s.id, slots);
  });
  return taken;
}

function takeRanges(map: ClusterMap, srcs: MapNode[], ranges: SlotRange[], target: MapNode): Map<string, number[]> {
  const allowed = new Set(srcs.map((s) => s.id));
  const taken = new Map<string, number[]>();
  const notOwned: number[] = [];
  const own: number[] = [];
  for (const r of ranges) {
    for (let s = r.start; s <= r.end; s++) {
      const owner = map.owner[s];
      if (owner === target.id) own.push(s);
      else if (!owner || !allowed.has(owner)) notOwned.push(s);
      else taken.set(owner, [...(taken.get(owner) ?? []), s]);
    }
  }
  if (own.length) throw new ValidationError(`The target ${target.address} already owns slot${own.length > 1 ? "s" : ""} ${formatRanges(slotsToRanges(own))}.`, "Leave those slots out.");
  if (notOwned.length) {
    throw new ValidationError(
      `Slot${notOwned.length > 1 ? "s" : ""} ${formatRanges(slotsToRanges(notOwned).slice(0, 8))} ${notOwned.length > 1 ? "are" : "is"} not owned by ${srcs.length === 1 ? `the source ${srcs[0].address}` : "any of the sources"}.`,
      `Name slots the sources own (${toolRef("cluster_info")} lists each master's slots), or use ${argRef("from", "all", "cluster_reshard")}.`,
    );
  }
  return taken;
}

export function planReshard(map: ClusterMap, req: ReshardRequest, keysPerSlot?: ArrayLike<number>): Move[] {
  const target = findMaster(map, req.to, "target");
  const srcs = sources(map, req, target);
  if (srcs.length === 0) throw new ValidationError("There is no master to take slots from.", `Add a master with slots, or name the sources with ${argRef("from", undefined, "cluster_reshard")}.`);
  if (typeof req.slots === "number" && (!Number.isInteger(req.slots) || req.slots < 1 || req.slots > 16384)) {
    throw new ValidationError(`${req.slots} is not a slot count between 1 and 16384.`, `Pass ${argRef("slots", "N", "cluster_reshard")} with 1 <= N <= 16384, or ${argRef("ranges", "0-99,200", "cluster_reshard")}.`);
  }
  if (Array.isArray(req.slots) && countSlots(req.slots) === 0) throw new ValidationError("No slots were named.", `Pass ${argRef("slots", "N", "cluster_reshard")} or ${argRef("ranges", "0-99,200", "cluster_reshard")}.`);
  const taken = typeof req.slots === "number" ? takeCount(srcs, req.slots) : takeRanges(map, srcs, req.slots, target);
  return normalizeMoves(
    [...taken].map(([from, slots]) => {
      const ranges = slotsToRanges(slots);
      const keys = keysIn(ranges, keysPerSlot);
      return { from, to: target.id, slots: ranges, ...(keys !== undefined ? { keys } : {}) };
    }),
  );
}
