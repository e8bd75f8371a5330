import { z } from "zod";
import { ValidationError } from "../../src/errors.js";
import { argRef } from "../../src/registry/words.js";
import { failover } from "../../src/ops/failover/index.js";
import { dryRunField, findingSchema, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";

export const clusterFailover = defineTool({
  name: "cluster_failover",
  title: "Fail over a Redis Cluster master to one of its replicas",
  description:
    "Runs CLUSTER FAILOVER on the chosen replica: coordinated by default (the master stops writes, the replica catches " +
    "up, then takes over: no acknowledged write is lost); force when the master is down (a majority of masters votes; " +
    "writes the replica had not received are lost); takeover when no majority can vote (no vote at all). Measures ms " +
    "until the replica accepts writes and until every node agrees, and verifies: the replica owns the slots everywhere " +
    "and the old master, when it answers, is its replica.",
  toolset: "cluster",
  input: z.object({
    ...targetFields,
    replica: z.string().describe("The replica to promote: node id, prefix or HOST:PORT."),
    force: z.boolean().optional().describe("CLUSTER FAILOVER FORCE: do not wait for the master (it is down)."),
    takeover: z.boolean().optional().describe("CLUSTER FAILOVER TAKEOVER: take the slots without a vote."),
    timeoutMs: z.number().int().min(1000).max(600_000).optional().describe("Give up after this long (default 30000)."),
    ...dryRunField,
  }),
  output: z.object({
    applied: z.boolean(),
    ok: z.boolean(),
    mode: z.enum(["default", "force", "takeover"]),
    replica: z.object({ id: z.string(), address: z.string() }),
    oldMaster: z.object({ id: z.string(), address: z.string(), reachable: z.boolean() }),
    slots: z.number().int(),
    timings: z.record(z.string(), z.number()),
    findings: z.array(findingSchema),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  summarize(o) {
    const how = o.mode === "default" ? "coordinated failover" : `failover ${o.mode.toUpperCase()}`;
    if (!o.applied) return `Dry run: ${how} would promote ${o.replica.address} (${o.replica.id.slice(0, 8)}) over ${o.oldMaster.address}, ${o.slots} slots; nothing changed.`;
    return `${how}: ${o.replica.address} is master of ${o.slots} slots; it accepted writes ${o.timings.writableMs} ms after the command, every node agreed after ${o.timings.agreedMs} ms; ${o.oldMaster.reachable ? `${o.oldMaster.address} is its replica` : `${o.oldMaster.address} did not answer`}; verified.`;
  },
  cli: { args: ["nodes"], flags: { timeoutMs: "timeout" }, exitCode: (o) => (o.applied && !o.ok ? 1 : 0) },
  async handler(input, ctx) {
    const t = await ctx.targets.resolve(input, { mutate: true });
    if (input.force && input.takeover) throw new ValidationError(`${argRef("force", "true", "cluster_failover")} and ${argRef("takeover", "true", "cluster_failover")} exclude each other.`, "Pass one of them (takeover when no majority of masters can vote, force when the master is down).");
    const r = await failover(
      { addresses: t.addresses, access: t.access, zones: t.zones, replica: input.replica, mode: input.takeover ? "takeover" : input.force ? "force" : "default", timeoutMs: input.timeoutMs, dryRun: input.dryRun },
      { progress: ctx.progress, signal: ctx.signal },
    );
    return { ...r, ok: r.applied && !r.findings.some((f) => f.severity === "error"), timings: { ...r.timings } as Record<string, number> };
  },
});
