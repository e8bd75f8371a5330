/**
 * Plan pieces more than one family uses: where a call acts (lab | target | nodes as
 * tool arguments and as words), and "the one lab there is" for a request that names no
 * place: list the labs first, then act on the only one, or ask which.
 */
import type { Where } from "./intent.js";
import type { Next } from "./families/family.js";
import type { CallOutcome } from "./planner.js";

/** Where as tool arguments: exactly one of lab, target or nodes. */
export const whereArgs = (w: Where): Record<string, unknown> => (w.lab ? { lab: w.lab } : w.target ? { target: w.target } : { nodes: w.nodes });

/** Where in words: "lab demo", "target prod", or the addresses. */
export const placeOf = (w: Where): string => (w.lab ? `lab ${w.lab}` : w.target ? `target ${w.target}` : w.nodes!.join(" "));

export const isSomewhere = (w: Where): boolean => Object.keys(w).length > 0;

/** The lab_list call that finds the lab. */
export const LIST_LABS = "lab_list";

function labsIn(o: CallOutcome | undefined): string[] {
  const labs = o?.result?.ok ? (o.result.output.labs as { name: string }[] | undefined) : undefined;
  return (labs ?? []).map((l) => l.name);
}

/** The place a plan acts on: the request's own, else the only lab lab_list showed (undefined until then). */
export function chosenPlace(where: Where, history: readonly CallOutcome[]): Where | undefined {
  if (isSomewhere(where)) return where;
  const labs = labsIn(history.find((o) => o.call.tool === LIST_LABS));
  return labs.length === 1 ? { lab: labs[0] } : undefined;
}

/**
 * Where a request that may name no place acts: its own where, else the only lab
 * lab_list shows. Until lab_list ran, the next call is lab_list (with `then` as the
 * rest of the plan text); several labs or none refuse, naming them. `example` is the
 * request to suggest with a lab name, e.g. (lab) => `check the cluster in lab ${lab}`.
 */
export function whereOrOnlyLab(
  where: Where,
  history: readonly CallOutcome[],
  then: string,
  example: (lab: string) => string,
): { where: Where; found: boolean } | Next {
  if (isSomewhere(where)) return { where, found: false };
  const listed = history.find((o) => o.call.tool === LIST_LABS);
  if (!listed) return { call: { tool: LIST_LABS, args: {} }, text: `Plan: find the lab with ${LIST_LABS}, then ${then}.` };
  const labs = labsIn(listed);
  if (labs.length === 1) return { where: { lab: labs[0] }, found: true };
  return {
    refuse: labs.length
      ? `Several labs exist (${labs.join(", ")}); say which one, e.g. "${example(labs[0])}".`
      : "No lab is running and the request names no target or address; name one, or create a cluster first.",
    reason: "ambiguous",
  };
}
