/** "List labs", "which labs are running?", "how many clusters do I have?": lab_list, answered from what it read. */
import { plural } from "../intent.js";
import { DESTROY } from "../vocabulary.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface LabListIntent extends BaseIntent {
  family: "lab_list";
}

export const labList = defineFamily<LabListIntent>({
  name: "lab_list",
  doing: "Listing labs",
  example: "list labs",
  effect: "look",
  tools: ["lab_list"],
  match: (r) => (/\blabs\b/.test(r.bare) || (/\bclusters\b/.test(r.bare) && (r.question || /\b(?:list|ls|show|running)\b/.test(r.bare)))) && !DESTROY.test(r.bare),
  // Every lab is listed: "clusters" in the plural is what it answers.
  honours: ["clusters"],
  extract: (r) => ({ family: "lab_list", where: r.where, assumed: [] }),
  plan(_intent, history) {
    const listed = history.find((o) => o.call.tool === "lab_list");
    if (!listed) return { call: { tool: "lab_list", args: {} }, text: "Plan: lab_list." };
    const labs = listed.result?.ok ? (listed.result.output.labs as { name: string; nodes: unknown[]; cluster: boolean }[]) : [];
    if (labs.length === 0) return { done: "No labs are running." };
    return { done: `${plural(labs.length, "lab")}: ${labs.map((l) => `${l.name} (${plural(l.nodes.length, "node")}${l.cluster ? "" : ", no cluster mode"})`).join(", ")}.` };
  },
});
