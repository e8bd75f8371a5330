/**
 * "Reshard 1000 slots in lab demo", "move 500 slots from 127.0.0.1:7000 to 127.0.0.1:7001":
 * hash slots move between masters. Plan: read the cluster (cluster_info), move the slots
 * with cluster_reshard (from and to as named, else from the master with the most slots
 * to the one with the fewest), verify with cluster_check.
 */
import { chosenPlace, placeOf, whereArgs, whereOrOnlyLab } from "../lab-choice.js";
import { bySlots, checkStep, infoRows, lastCall, masters, readInfo } from "./migrate-plans.js";
import { defineFamily, type BaseIntent } from "./family.js";
import { refuse } from "../intent.js";

export interface ReshardIntent extends BaseIntent {
  family: "reshard";
  slots?: number;
  /** Named source and target (HOST:PORT), when the request says "from A to B". */
  from?: string;
  to?: string;
}

const RESHARD = /\breshard\b|\b(?:move|migrate) (?:\d+ )?slots?\b/;

export const reshard = defineFamily<ReshardIntent>({
  name: "reshard",
  doing: "Resharding",
  example: "reshard 1000 slots in lab demo",
  effect: "change",
  tools: ["cluster_reshard", "cluster_info", "cluster_check"],
  verbs: RESHARD,
  match: (r) => RESHARD.test(r.bare),
  // "from A to B in lab L": the lab (or target) is where, A and B are the masters in it.
  honours: ["several_places"],
  extract(r) {
    const nodes = r.where.nodes ?? [];
    const named = /\bfrom\b.*\bto\b/.test(r.text) && nodes.length >= 2;
    const place = r.where.lab ? `lab ${r.where.lab}` : r.where.target ? `target ${r.where.target}` : undefined;
    if (place && nodes.length && !(named && nodes.length === 2)) {
      return refuse("unhonoured", `The request names ${place} and ${nodes.join(" ")}, and only a source and a target ("from A to B") can go with a place, so one of them would be dropped.`, `Say one place, or "move N slots from A to B in ${place}".`);
    }
    const { nodes: _addresses, ...placeOnly } = r.where;
    const where = place && named ? placeOnly : r.where;
    return { family: "reshard", slots: r.count(/(\d+) slots?\b/), ...(named ? { from: nodes[0], to: nodes[1] } : {}), where, assumed: [] };
  },
  plan(intent, history, env) {
    const at = whereOrOnlyLab(intent.where, history, "move the slots there", (lab) => `reshard 1000 slots in lab ${lab}`);
    if (!("where" in at)) return at;
    if (intent.slots === undefined) return { refuse: 'The request does not say how many slots to move; e.g. "move 1000 slots from 127.0.0.1:7000 to 127.0.0.1:7001".', reason: "ambiguous" };
    const rows = infoRows(history);
    if (!rows) return { call: readInfo(at.where), text: `Plan: read the cluster at ${placeOf(at.where)}, move ${intent.slots} slots with cluster_reshard, then cluster_check.` };
    const ms = bySlots(masters(rows));
    const from = intent.from ?? ms.at(-1)?.address;
    const to = intent.to ?? ms.find((m) => m.address !== from)?.address;
    if (!from || !to) return { refuse: "The cluster has fewer than two masters: there is nowhere to move slots.", reason: "impossible" };
    if (!lastCall(history, "cluster_reshard")) return { call: { tool: "cluster_reshard", args: { ...whereArgs(at.where), from, to, slots: intent.slots } } };
    return { done: `${env.dryRun ? "Would move" : "Moved"} ${intent.slots} slots from ${from} to ${to}.` };
  },
  verify: (intent, history) => checkStep(chosenPlace(intent.where, history) ?? intent.where),
});
