import { z } from "zod";
import { writePlanFile } from "../../src/ops/migrate/plan-file.js";
import { commonMigration, parseWeights, migrationInputFields, migrationOutput, migrationOutputSchema, summarizeMigration } from "../../src/ops/migrate/tool-shape.js";
import { rebalance } from "../../src/ops/migrate/verbs.js";
import { dryRunField, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";

const shareSchema = z.object({ id: z.string(), address: z.string(), weight: z.number(), current: z.number(), wanted: z.number() });

export const clusterRebalance = defineTool({
  name: "cluster_rebalance",
  title: "Rebalance a Redis Cluster",
  description:
    "Moves slots so every master holds its weighted share: by slot count (as redis-cli), or by keys or memory per slot " +
    "(mode keys / memory) so masters holding hot slots give some away. Weights default to 1 (weight 0 empties a master, " +
    "which stays a master); masters without slots take part only with useEmptyMasters; nothing moves when every master " +
    "is within threshold percent of its share. Same safety, journal, resume and verification as cluster_reshard.",
  toolset: "cluster",
  input: z.object({
    ...targetFields,
    weight: z.array(z.string()).optional().describe("Weights as NODE=W (node id, prefix or HOST:PORT)."),
    threshold: z.number().min(0).max(100).default(2).describe("Percent a master may stray from its share before slots move."),
    useEmptyMasters: z.boolean().optional().describe("Let masters without slots take part (e.g. right after add-node)."),
    mode: z.enum(["slots", "keys", "memory"]).default("slots").describe("Balance slot counts, keys per slot, or bytes per slot."),
    ...migrationInputFields,
    ...dryRunField,
  }),
  output: migrationOutputSchema.extend({ shares: z.array(shareSchema).optional(), balanced: z.boolean().optional(), mode: z.string().optional() }),
  runsLong: true,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  summarize(o) {
    const text = summarizeMigration("rebalance", o);
    if (o.balanced) return `${text}\nEvery master is within ${o.shares?.length ? "the threshold" : "its share"} (${o.mode ?? "slots"}).`;
    return text;
  },
  cli: { args: ["nodes"], exitCode: (o) => (o.applied && !o.ok ? 1 : 0) },
  async handler(input, ctx) {
    const t = await ctx.targets.resolve(input, { mutate: true });
    const weights = parseWeights(input.weight);
    const r = await rebalance(
      {
        ...(await commonMigration(t, input, "cluster_rebalance")),
        weights,
        threshold: input.threshold,
        useEmptyMasters: input.useEmptyMasters,
        mode: input.mode,
      },
      { progress: ctx.progress, signal: ctx.signal },
    );
    if (input.planOut) await writePlanFile(input.planOut, r.plan);
    const extra = (r.extra ?? {}) as { shares?: z.infer<typeof shareSchema>[]; balanced?: boolean; mode?: string };
    return { ...migrationOutput(r, input.planOut), ...extra };
  },
});
