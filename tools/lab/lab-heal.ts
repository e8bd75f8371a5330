import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { dryRunField } from "../../src/registry/fields.js";
import { loadLab, resolveLabName } from "../../src/lab/index.js";
import { labHeal as heal } from "../../src/lab/faults/index.js";
import { heal as healCuts } from "../../src/lab/faults/partition-rules.js";
import { LabNotFoundError } from "../../src/errors.js";
import { cutsSchema } from "../../src/lab/faults/tool-shape.js";

export const labHeal = defineTool({
  name: "lab_heal",
  title: "Heal a lab partition",
  description:
    "Undo lab_partition: remove the cuts touching one zone, or every cut when no zone is given; with no cut " +
    "left the lab's iptables chain and its jump rule are removed. Traffic flows again at once; nodes reconcile " +
    "on their own (a stale master turns replica and drops writes it took while cut off). Labs only.",
  toolset: "lab",
  input: z.object({
    zone: z.string().optional().describe("Heal only the cuts of this zone; default: heal all."),
    lab: z.string().optional().describe("Lab name; default: the only lab there is."),
    ...dryRunField,
  }),
  output: z.object({ lab: z.string(), dryRun: z.boolean(), cuts: cutsSchema.describe("Cuts still holding after the call."), elapsedMs: z.number().optional() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: (o) => `${o.dryRun ? "Would heal" : "Healed"} lab ${o.lab}; ${o.cuts.length ? `still cut: ${o.cuts.map((c) => c.join("|")).join(", ")}` : "no cut left"}.`,
  cli: { args: ["zone"] },
  async handler(input) {
    const lab = await resolveLabName(input.lab);
    if (input.dryRun) {
      const state = await loadLab(lab);
      if (!state) throw new LabNotFoundError(lab);
      return { lab, dryRun: true, cuts: healCuts(state.cuts ?? [], input.zone) };
    }
    const done = await heal(lab, input.zone);
    return { lab, dryRun: false, cuts: done.cuts, elapsedMs: done.elapsedMs };
  },
});
