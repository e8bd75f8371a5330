import { z } from "zod";
import { fixCluster, fixKinds } from "../../src/ops/cluster-fix/index.js";
import { journalDirFor } from "../../src/ops/migrate/tool-shape.js";
import { confirmField, dryRunField, findingSchema, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";

export const clusterFix = defineTool({
  name: "cluster_fix",
  title: "Repair a Redis Cluster",
  description:
    "Finds and repairs what leaves a cluster half-changed, each fix planned and shown first: " +
    fixKinds.map((k) => `${k.name} (${k.summary.replace(/\.$/, "")})`).join("; ") +
    ". No key is dropped: keys move to the slot's final owner; copies of one key that differ are reported, not overwritten " +
    "(unless replace). Refuses while a node is unreachable and not marked failed, or while a migration is running. " +
    "Destructive (it reassigns slots): review the dry run, then confirm.",
  toolset: "cluster",
  input: z.object({
    ...targetFields,
    kinds: z.array(z.string()).optional().describe(`Only these repair kinds: ${fixKinds.map((k) => k.name).join(", ")} (default: all).`),
    replace: z.boolean().optional().describe("When a key exists on two masters with different values, keep the one that moves (default: stop and report)."),
    timeoutMs: z.number().int().min(100).max(600_000).optional().describe("Per node: connect and command timeout in ms (default: the target's, else 2000 to connect and 5000 per command). A node that does not answer the slot scan in time is asked twice more, with backoff."),
    ...dryRunField,
    ...confirmField,
  }),
  output: z.object({
    applied: z.boolean(),
    ok: z.boolean(),
    fixes: z.array(z.object({ kind: z.string(), subject: z.string(), description: z.string() })),
    findings: z.array(findingSchema),
    timings: z.record(z.string(), z.number()),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  summarize(o) {
    const lines = o.fixes.slice(0, 30).map((f) => `  ${f.kind.padEnd(22)} ${f.description}`);
    if (o.fixes.length > 30) lines.push(`  ... and ${o.fixes.length - 30} more`);
    const errors = o.findings.filter((f) => f.severity === "error");
    if (o.fixes.length === 0) return `Nothing to fix${o.applied && errors.length ? `, but cluster check reports ${errors.length} error(s) no repair kind covers: ${errors[0].message}` : ""}.`;
    const head = o.applied
      ? `Applied ${o.fixes.length} fix(es) in ${o.timings.applyMs} ms; slots verified${errors.length ? `; ${errors.length} other error(s) remain: ${errors[0].message}` : ", cluster check clean"}.`
      : `Dry run: ${o.fixes.length} fix(es) planned, nothing changed.`;
    return [head, ...lines].join("\n");
  },
  cli: { args: ["nodes"], flags: { timeoutMs: "timeout" }, exitCode: (o) => (o.applied && !o.ok ? 1 : 0) },
  async handler(input, ctx) {
    const t = await ctx.targets.resolve(input, { mutate: true });
    const r = await fixCluster(
      { addresses: t.addresses, access: t.access, zones: t.zones, journalDir: journalDirFor(t), kinds: input.kinds, replace: input.replace, dryRun: input.dryRun, timeoutMs: input.timeoutMs },
      { progress: ctx.progress, signal: ctx.signal },
    );
    return { applied: r.applied, ok: r.applied && !r.findings.some((f) => f.severity === "error"), fixes: r.fixes, findings: r.findings, timings: r.timings };
  },
});
