/**
 * "Stop lab demo", "tear down the demo lab": lab_down, destructive, so the loop asks
 * the user (or --yes) first. Never "the only lab there is" by default. lab_down proves
 * its own postcondition (it returns once every node process exited and the state is gone).
 */
import { refuse } from "../intent.js";
import { DESTROY, NODE_NOUN } from "../vocabulary.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface LabDownIntent extends BaseIntent {
  family: "lab_down";
}

export const labDown = defineFamily<LabDownIntent>({
  name: "lab_down",
  doing: "Stopping a lab",
  example: "stop lab demo",
  effect: "change",
  tools: ["lab_down"],
  verbs: DESTROY,
  match: (r) => DESTROY.test(r.bare) && (r.where.lab !== undefined || /\blab\b/.test(r.bare)) && !NODE_NOUN.test(r.bare) && !/\bcluster\b/.test(r.bare),
  extract(r) {
    if (!r.where.lab) return refuse("ambiguous", "The request does not name the lab to stop.", 'Say which, e.g. "stop lab demo" (see "list labs").');
    return { family: "lab_down", where: r.where, assumed: [] };
  },
  plan(intent, history, env) {
    const lab = intent.where.lab!;
    if (history.length === 0) return { call: { tool: "lab_down", args: { name: lab } }, text: `Plan: lab_down ${lab} (destructive: it needs your confirmation).` };
    return { done: `${env.dryRun ? "Would stop" : "Stopped"} lab ${lab} and ${env.dryRun ? "delete" : "deleted"} its data.` };
  },
});
