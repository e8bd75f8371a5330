import { z } from "zod";
import { quoted, ValidationError } from "../../src/errors.js";
import { argRef } from "../../src/registry/words.js";
import { writePlanFile } from "../../src/ops/migrate/plan-file.js";
import { commonMigration, migrationInputFields, migrationOutput, migrationOutputSchema, summarizeMigration } from "../../src/ops/migrate/tool-shape.js";
import { reshard } from "../../src/ops/migrate/verbs.js";
import { dryRunField, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";
import { parseRanges } from "../../src/redis/slots.js";

export const clusterReshard = defineTool({
  name: "cluster_reshard",
  title: "Move slots between Redis Cluster masters",
  description:
    "Moves hash slots, with their keys, from one or more masters (or all others) to one master: `slots` of them taken " +
    "in proportion to what each source owns, or exactly the `ranges` named. Safe under load (IMPORTING, MIGRATING, " +
    "MIGRATE, SETSLOT NODE per slot, pipelined across slots), journaled, and verified: returns once every node sees " +
    "the new owners and no slot is open. Refuses, changing nothing: unknown nodes, a replica as source or target, slots " +
    "the sources do not own, a cluster with open slots, failing nodes or nodes that disagree. dryRun shows the plan; " +
    "planOut saves it and plan applies a saved one. Re-running after an interruption finishes what it left.",
  toolset: "cluster",
  input: z.object({
    ...targetFields,
    from: z.string().describe('Source masters: node ids (or 6+ character prefixes) or HOST:PORT, comma separated, or "all" for every other master.'),
    to: z.string().describe("Target master: node id (or prefix) or HOST:PORT."),
    slots: z.number().int().min(1).max(16384).optional().describe("How many slots to move."),
    ranges: z.string().optional().describe('Exactly which slots, e.g. "0-99,200" (instead of slots).'),
    ...migrationInputFields,
    ...dryRunField,
  }),
  output: migrationOutputSchema,
  runsLong: true,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  summarize: (o) => summarizeMigration("reshard", o),
  cli: { args: ["nodes"], exitCode: (o) => (o.applied && !o.ok ? 1 : 0) },
  async handler(input, ctx) {
    const t = await ctx.targets.resolve(input, { mutate: true });
    if (!input.plan && (input.slots === undefined) === (input.ranges === undefined)) {
      throw new ValidationError("Name either slots (how many) or ranges (which ones), not both and not neither.", `Pass ${argRef("slots", "N", "cluster_reshard")} or ${argRef("ranges", "0-99,200", "cluster_reshard")}.`);
    }
    const ranges = input.ranges === undefined ? undefined : parseRanges(input.ranges);
    if (ranges === undefined && input.ranges !== undefined) throw new ValidationError(`${quoted(input.ranges)} is not a list of slots and ranges within 0-16383.`, 'Write ranges like "0-99,200,300-310".');
    const from = input.from.trim().toLowerCase() === "all" ? "all" : input.from.split(",").map((s) => s.trim()).filter(Boolean);
    const r = await reshard(
      {
        ...(await commonMigration(t, input, "cluster_reshard")),
        from,
        to: input.to,
        slots: ranges ?? input.slots!,
      },
      { progress: ctx.progress, signal: ctx.signal },
    );
    if (input.planOut) await writePlanFile(input.planOut, r.plan);
    return migrationOutput(r, input.planOut);
  },
});
