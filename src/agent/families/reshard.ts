/** "Reshard 1000 slots in lab demo", "move 500 slots to the new master": hash slots move between masters. */
import { defineFamily, type BaseIntent } from "./family.js";

export interface ReshardIntent extends BaseIntent {
  family: "reshard";
  slots?: number;
}

const RESHARD = /\breshard\b|\b(?:move|migrate) (?:\d+ )?slots?\b/;

export const reshard = defineFamily<ReshardIntent>({
  name: "reshard",
  doing: "Resharding",
  example: "reshard 1000 slots in lab demo",
  effect: "change",
  tools: ["cluster_reshard", "cluster_check"],
  verbs: RESHARD,
  match: (r) => RESHARD.test(r.bare),
  extract: (r) => ({ family: "reshard", slots: r.count(/(\d+) slots?\b/), where: r.where, assumed: [] }),
});
