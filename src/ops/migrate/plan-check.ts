/**
 * Does the cluster still match a plan? A saved plan (--plan FILE) or an interrupted one
 * (the journal) applies only while each move's source still owns its slots and both
 * ends are still masters. Pure. For a resume, slots already at their target are done;
 * anything owned by a third node means the cluster changed under the plan.
 */
import { formatRanges, slotsToRanges, rangesToSlots } from "../../redis/slots.js";
import type { ClusterMap } from "./cluster-map.js";
import type { MigrationPlan, Move } from "./plan.js";

export interface PlanComparison {
  /** What is left to move (slots still at their source). */
  remaining: Move[];
  /** Slots already at their target. */
  done: number;
  /** Why the plan no longer fits, one sentence each; empty when it does. */
  mismatches: string[];
}

export function comparePlan(plan: Pick<MigrationPlan, "moves" | "masters">, map: ClusterMap): PlanComparison {
  const role = new Map(map.nodes.map((n) => [n.id, n.role]));
  const address = (id: string) => plan.masters.find((m) => m.id === id)?.address ?? map.nodes.find((n) => n.id === id)?.address ?? id.slice(0, 8);
  const mismatches: string[] = [];
  const remaining: Move[] = [];
  let done = 0;
  for (const move of plan.moves) {
    for (const id of [move.from, move.to]) {
      if (role.get(id) === undefined) mismatches.push(`${address(id)} (${id.slice(0, 8)}) is no longer in the cluster.`);
      else if (role.get(id) !== "master") mismatches.push(`${address(id)} (${id.slice(0, 8)}) is no longer a master.`);
    }
    const left: number[] = [];
    const elsewhere: number[] = [];
    for (const s of rangesToSlots(move.slots)) {
      const owner = map.owner[s];
      if (owner === move.from) left.push(s);
      else if (owner === move.to) done++;
      else elsewhere.push(s);
    }
    if (elsewhere.length) {
      mismatches.push(`Slots ${formatRanges(slotsToRanges(elsewhere).slice(0, 6))} planned to move from ${address(move.from)} to ${address(move.to)} are now owned by neither.`);
    }
    if (left.length) remaining.push({ from: move.from, to: move.to, slots: slotsToRanges(left) });
  }
  return { remaining, done, mismatches: [...new Set(mismatches)] };
}
