import { z } from "zod";
import { createCluster, formatPlan } from "../../src/ops/cluster-create/index.js";
import { buildSettingsDirFor } from "../../src/ops/cluster-create/settings-journal.js";
import { dryRunField, findingSchema, stepSchema, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";

const slotRange = z.object({ start: z.number().int(), end: z.number().int() });

export const clusterCreate = defineTool({
  name: "cluster_create",
  title: "Create a Redis Cluster",
  description:
    "Create a Redis Cluster from empty cluster-enabled nodes (a lab, a target, or HOST:PORT list): " +
    "assigns the 16384 slots to the masters, attaches `replicas` replicas per master placed away from " +
    "their master's host and zone, and returns only when every node reports cluster_state ok, every " +
    "replication link is up and all checks pass. Refuses, changing nothing, if any node is unreachable, " +
    "not cluster-enabled, holds keys/slots or already knows other nodes. Use dryRun to see the plan.",
  toolset: "cluster",
  input: z.object({
    ...targetFields,
    replicas: z.number().int().min(0).max(16).default(1).describe("Replicas per master."),
    masters: z.number().int().min(3).optional().describe("Number of masters; default: nodes / (replicas + 1)."),
    timeoutMs: z.number().int().min(1000).max(600_000).optional().describe("Give up after this long (default 30000)."),
    ...dryRunField,
  }),
  output: z.object({
    applied: z.boolean(),
    ok: z.boolean(),
    masters: z.array(z.object({ address: z.string(), slots: z.array(slotRange), slotCount: z.number(), replicas: z.array(z.string()) })),
    nodes: z.array(z.object({ address: z.string(), id: z.string() })),
    warnings: z.array(z.string()),
    steps: z.array(stepSchema),
    timings: z.record(z.string(), z.number()),
    findings: z.array(findingSchema),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  summarize(out) {
    const replicas = out.masters.reduce((a, m) => a + m.replicas.length, 0);
    const plan = formatPlan(out).replace(/^/gm, "  ");
    if (!out.applied) return `Dry run: preflight passed on ${out.nodes.length} nodes; would create ${out.masters.length} masters with ${replicas} replicas, changing nothing.\n${plan}`;
    const t = out.timings;
    const warnings = out.findings.filter((f) => f.severity === "warning").length;
    return (
      `Created and verified a cluster of ${out.masters.length} masters and ${replicas} replicas: ` +
      `ready in ${t.readyMs} ms, converged in ${t.convergedMs} ms, all 16384 slots covered` +
      `${warnings ? `, ${warnings} warning(s)` : ""}.\n${plan}`
    );
  },
  cli: {
    args: ["nodes"],
    flags: { timeoutMs: "timeout" },
    // A dry run or a verified build exits 0; a build that ran but did not verify exits 1.
    exitCode: (o) => (o.applied && !o.ok ? 1 : 0),
  },
  async handler(input, ctx) {
    // A dry run is held to the same policy as the real run (invokeTool enforces it too).
    const target = await ctx.targets.resolve(input, { mutate: true });
    const r = await createCluster(
      { addresses: target.addresses, replicas: input.replicas, masters: input.masters, access: target.access, zones: target.zones, dryRun: input.dryRun, timeoutMs: input.timeoutMs, journalDir: buildSettingsDirFor(target) },
      { progress: ctx.progress, signal: ctx.signal },
    );
    const timings = Object.fromEntries(Object.entries(r.timings).filter(([, v]) => typeof v === "number")) as Record<string, number>;
    return {
      applied: r.applied,
      ok: r.applied && !r.findings.some((f) => f.severity === "error"),
      masters: r.plan.masters.map((m) => ({ address: m.address, slots: m.slots, slotCount: m.slots.reduce((a, s) => a + s.end - s.start + 1, 0), replicas: m.replicas })),
      nodes: r.nodes,
      warnings: r.plan.warnings,
      steps: r.plan.steps.map((s) => ({ kind: s.kind, description: s.description })),
      timings,
      findings: r.findings,
    };
  },
});

