import { z } from "zod";
import { addNode } from "../../src/ops/add-node/index.js";
import { dryRunField, findingSchema, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";

export const clusterAddNode = defineTool({
  name: "cluster_add_node",
  title: "Add a node to a Redis Cluster",
  description:
    "Joins an empty cluster-enabled node (newNode) to a cluster: as a master without slots (give it slots with " +
    "cluster_rebalance useEmptyMasters, or cluster_reshard), or with replica as a replica of masterId, or of the " +
    "least-replicated master on another host and zone. Returns only when every node knows it, it reports " +
    "cluster_state ok and agrees on the slot map, and (replica) its link is up, so a rebalance can follow at once. " +
    "Refuses, changing nothing, a node that is unreachable, not empty, already a member, or a cluster that is not stable.",
  toolset: "cluster",
  input: z.object({
    newNode: z.string().describe("HOST:PORT of the empty node to add."),
    ...targetFields,
    replica: z.boolean().optional().describe("Join as a replica (of masterId, or of the least-replicated master elsewhere)."),
    masterId: z.string().optional().describe("The master the replica serves: node id, prefix or HOST:PORT."),
    timeoutMs: z.number().int().min(1000).max(600_000).optional().describe("Give up after this long (default 30000)."),
    ...dryRunField,
  }),
  output: z.object({
    applied: z.boolean(),
    ok: z.boolean(),
    address: z.string(),
    id: z.string(),
    role: z.enum(["master", "replica"]),
    master: z.object({ id: z.string(), address: z.string(), reason: z.string() }).optional(),
    warnings: z.array(z.string()),
    timings: z.record(z.string(), z.number()),
    findings: z.array(findingSchema),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  summarize(o) {
    const as = o.role === "replica" ? `a replica of ${o.master?.address} (${o.master?.reason})` : "a master without slots";
    const warn = o.warnings.map((w) => `\nwarning: ${w}`).join("");
    if (!o.applied) return `Dry run: ${o.address} (${o.id.slice(0, 8)}) is empty and would join as ${as}; nothing changed.${warn}`;
    return `${o.address} (${o.id.slice(0, 8)}) joined as ${as}: known to every node in ${o.timings.knownMs} ms, cluster_state ok in ${o.timings.stateOkMs} ms${o.timings.linkMs ? `, link up in ${o.timings.linkMs} ms` : ""}; verified.${warn}`;
  },
  cli: { args: ["newNode", "nodes"], flags: { timeoutMs: "timeout" }, exitCode: (o) => (o.applied && !o.ok ? 1 : 0) },
  async handler(input, ctx) {
    const t = await ctx.targets.resolve(input, { mutate: true });
    const r = await addNode(
      { addresses: t.addresses, access: t.access, zones: t.zones, newNode: input.newNode, replica: input.replica, masterId: input.masterId, timeoutMs: input.timeoutMs, dryRun: input.dryRun },
      { progress: ctx.progress, signal: ctx.signal },
    );
    return { ...r, ok: r.applied && !r.findings.some((f) => f.severity === "error"), timings: { ...r.timings } as Record<string, number> };
  },
});
