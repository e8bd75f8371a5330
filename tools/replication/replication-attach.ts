import { z } from "zod";
import { attachReplicas } from "../../src/ops/replication/attach.js";
import { formatSteps } from "../../src/ops/replication/plan.js";
import { resolveNamed } from "../../src/ops/resolve-named.js";
import { ValidationError } from "../../src/errors.js";
import { formatAddress, parseAddress } from "../../src/redis/address.js";
import { confirmField, dryRunField, findingSchema, stepSchema, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";
import { argRef } from "../../src/registry/words.js";

export const replicationAttach = defineTool({
  name: "replication_attach",
  title: "Attach replicas to a master",
  description:
    "Make nodes replicas of a master (REPLICAOF, with masterauth from the master's credentials), wait until each has synced and caught up " +
    "with the master's offset, and verify. Use it to build a master with N replicas or to add read replicas to a running master. " +
    "Destructive: a replica's own data is discarded and replaced by the master's (the dry run lists keys that would go). " +
    "Refuses, changing nothing: an unreachable node, a wrong password, a replica of itself, a replication loop, a chain, cluster-enabled nodes.",
  toolset: "replication",
  input: z.object({
    ...targetFields,
    master: z.string().optional().describe("The master, HOST:PORT; default: the first node of the lab / target / node list."),
    replicas: z.array(z.string()).optional().describe("The nodes to make its replicas (HOST:PORT); default: every other node of the lab / target / node list."),
    timeoutMs: z.number().int().min(1000).max(600_000).optional().describe("Give up waiting for the sync after this long (default 30000)."),
    ...dryRunField,
    ...confirmField,
  }),
  output: z.object({
    applied: z.boolean(),
    master: z.string(),
    replicas: z.array(z.object({ address: z.string(), discardsKeys: z.number(), from: z.string().optional() })),
    steps: z.array(stepSchema),
    warnings: z.array(z.string()),
    syncMs: z.number().optional(),
    findings: z.array(findingSchema),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  summarize: (o) =>
    `${o.applied ? `Attached and verified ${o.replicas.length} replica(s) of ${o.master}, in sync after ${o.syncMs} ms` : `Dry run: would attach ${o.replicas.length} replica(s) to ${o.master}`}.` +
    (o.warnings.length ? `\n${o.warnings.map((w) => `  warning: ${w}`).join("\n")}` : "") +
    `\n${formatSteps(o.steps.map((s) => ({ ...s, kind: "replicaof", node: "" }))).replace(/^/gm, "  ")}`,
  cli: { args: ["master", "replicas"], flags: { timeoutMs: "timeout" } },
  async handler(input, ctx) {
    const named = input.replicas?.map((r) => formatAddress(parseAddress(r)));
    const given = input.master ? formatAddress(parseAddress(input.master)) : undefined;
    if (!given && !input.lab && !input.target && !input.nodes?.length) throw new ValidationError("Name the master to attach replicas to.", `Give the master (${argRef("master", "HOST:PORT", "replication_attach")}), or a lab, target or node list whose first node is the master.`);
    const t = await resolveNamed(ctx, input, [...(given ? [given] : []), ...(named ?? [])], true);
    const master = given ?? t.addresses[0];
    const replicas = named ?? t.addresses.filter((a) => a !== master);
    const r = await attachReplicas({ master, replicas, access: t.access, zones: t.zones, dryRun: input.dryRun, timeoutMs: input.timeoutMs }, ctx);
    return {
      applied: r.applied,
      master: r.plan.master,
      replicas: r.plan.replicas,
      steps: r.plan.steps.map((s) => ({ kind: s.kind, description: s.description })),
      warnings: r.plan.warnings,
      ...(r.syncMs !== undefined ? { syncMs: r.syncMs } : {}),
      findings: r.findings,
    };
  },
});
