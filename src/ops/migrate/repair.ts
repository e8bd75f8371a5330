/**
 * Finding and applying slot repairs on a live cluster (cluster fix's slot kinds, and a
 * re-run after a killed migration): read which slots are suspect, count their keys on
 * every master, plan a repair per slot (slot-repair.ts), settle them, and say what was done.
 */
import type { MigrateAuth } from "./auth.js";
import type { NodePool } from "../../redis/connection.js";
import { rangesToSlots, SLOT_COUNT } from "../../redis/slots.js";
import type { ClusterView } from "../../topology/types.js";
import type { ClusterMap } from "./cluster-map.js";
import type { JournalFile } from "./journal.js";
import { settleSlots } from "./settle.js";
import type { CountOptions } from "./count-keys.js";
import { planSlotRepairs, type SlotRepair } from "./slot-repair.js";
import { countKeys, slotStates, strayKeySlots, suspectSlots, type SlotState } from "./slot-state.js";

export interface RepairScan {
  repairs: SlotRepair[];
  states: Map<number, SlotState>;
}

/** slot -> planned target, for the slots of interrupted migrations not recorded as done. */
export function plannedTargets(journals: JournalFile[]): Map<number, string> {
  const planned = new Map<number, string>();
  // Oldest first, so a newer journal's intent wins.
  for (const j of [...journals].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
    j.plan.moves.forEach((m, i) => {
      const done = new Set(rangesToSlots(j.done[i] ?? []));
      for (const s of rangesToSlots(m.slots)) if (!done.has(s)) planned.set(s, m.to);
    });
  }
  return planned;
}

/**
 * Repairs the cluster needs. Open, uncovered and disputed slots are seen in the view;
 * keys on a master that does not own their slot only by counting every slot on every
 * master (strayKeys: 16384 COUNTKEYSINSLOT per master, pipelined).
 */
export async function scanRepairs(pool: NodePool, view: ClusterView, map: ClusterMap, o: { planned?: Map<number, string>; strayKeys?: boolean; count?: CountOptions } = {}): Promise<RepairScan> {
  let slots = suspectSlots(view);
  let counts;
  if (o.strayKeys) {
    counts = await countKeys(pool, view, Array.from({ length: SLOT_COUNT }, (_, i) => i), o.count);
    slots = [...new Set([...slots, ...strayKeySlots(view, counts)])].sort((a, b) => a - b);
  } else {
    counts = await countKeys(pool, view, slots, o.count);
  }
  const states = slotStates(view, slots, counts);
  const slotCounts = new Map(map.nodes.map((n) => [n.id, rangesToSlots(n.slots).length]));
  const repairs = planSlotRepairs(states, { planned: o.planned, slotCounts });
  return { repairs, states: new Map(states.map((s) => [s.slot, s])) };
}

export async function applyRepairs(pool: NodePool, map: ClusterMap, scan: RepairScan, migrateAuth: MigrateAuth, o: { replace?: boolean; onSettled?: (r: SlotRepair) => void } = {}): Promise<void> {
  await settleSlots(scan.repairs, { pool, map, states: scan.states, migrateAuth, replace: o.replace, onSettled: o.onSettled });
}
