import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { dryRunField } from "../../src/registry/fields.js";
import { loadLab, resolveLabName } from "../../src/lab/index.js";
import { labPartition as cut, zonesOf } from "../../src/lab/faults/index.js";
import { isolate } from "../../src/lab/faults/partition-rules.js";
import { cutsSchema } from "../../src/lab/faults/tool-shape.js";
import { LabNotFoundError } from "../../src/errors.js";

export const labPartition = defineTool({
  name: "lab_partition",
  title: "Cut a lab zone off from the others",
  description:
    "Partition a lab: drop all traffic between one zone (127.0.Z.0/24) and the lab's processes in every other zone, " +
    "both ways, with iptables rules on this lab's ports in a chain the lab owns (no other rule, and no other lab on " +
    "the same addresses, is touched). Nodes on each side still run and " +
    "answer clients on their own side; a client on 127.0.0.1 still reaches all nodes. Use it to drill a lost " +
    "datacenter or split brain; cuts add up (partition z1, then z2, leaves three islands). Undo with lab_heal; " +
    "lab_down also removes the rules. Needs root for iptables. Labs only.",
  toolset: "lab",
  input: z.object({
    zone: z.string().describe("The zone to cut off, e.g. z1 (lab_status lists zones)."),
    lab: z.string().optional().describe("Lab name; default: the only lab there is."),
    ...dryRunField,
  }),
  output: z.object({ lab: z.string(), zone: z.string(), dryRun: z.boolean(), cuts: cutsSchema, chain: z.string().optional(), elapsedMs: z.number().optional() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: (o) => `${o.dryRun ? "Would cut" : "Cut"} zone ${o.zone} of lab ${o.lab} off; cut pairs now: ${o.cuts.map((c) => c.join("|")).join(", ")}.`,
  cli: { args: ["zone"] },
  async handler(input) {
    const lab = await resolveLabName(input.lab);
    if (input.dryRun) {
      const state = await loadLab(lab);
      if (!state) throw new LabNotFoundError(lab);
      return { lab, zone: input.zone, dryRun: true, cuts: isolate(input.zone, zonesOf(state), state.cuts ?? []) };
    }
    const done = await cut(lab, input.zone);
    return { lab, zone: input.zone, dryRun: false, cuts: done.cuts, chain: done.chain, elapsedMs: done.elapsedMs };
  },
});
