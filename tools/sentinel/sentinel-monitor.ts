import { z } from "zod";
import { monitorMaster } from "../../src/ops/sentinel/monitor.js";
import { resolveSentinels } from "../../src/ops/sentinel/resolve-sentinels.js";
import { ValidationError } from "../../src/errors.js";
import { formatAddress, parseAddress } from "../../src/redis/address.js";
import { dryRunField, findingSchema, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";

export const sentinelMonitor = defineTool({
  name: "sentinel_monitor",
  title: "Make sentinels monitor a master",
  description:
    "Configure sentinels to watch a master: SENTINEL MONITOR plus SET for down-after-milliseconds, failover-timeout, parallel-syncs and auth-pass " +
    "(the master's own credentials), on every sentinel named (a lab's, a target's or a HOST:PORT list); then wait until they see each other and the " +
    "replicas and CKQUORUM passes, and verify. Also returns the equivalent sentinel.conf lines for servers configured by file. Refuses, changing " +
    "nothing: a quorum larger than the number of sentinels, a non-sentinel address, an unreachable node, a wrong password, a name already used for another master.",
  toolset: "sentinel",
  input: z.object({
    ...targetFields,
    master: z.string().optional().describe("The master to watch, HOST:PORT; default in a lab: the master its template built, else its first node."),
    name: z.string().default("mymaster").describe("The name clients ask the sentinels for."),
    quorum: z.number().int().min(1).optional().describe("Sentinels that must agree the master is down (default: what the sentinels already use for this name, else a majority)."),
    downAfterMs: z.number().int().min(100).optional().describe("down-after-milliseconds (default: the sentinels' current value for this name, else 5000)."),
    failoverTimeoutMs: z.number().int().min(1000).optional().describe("failover-timeout (default: the current value, else 60000)."),
    parallelSyncs: z.number().int().min(1).optional().describe("parallel-syncs (default: the current value, else 1)."),
    ...dryRunField,
  }),
  output: z.object({
    applied: z.boolean(),
    name: z.string(),
    master: z.string(),
    quorum: z.number(),
    sentinels: z.array(z.object({ address: z.string(), action: z.enum(["monitor", "update"]) })),
    configLines: z.array(z.string()),
    warnings: z.array(z.string()),
    convergedMs: z.number().optional(),
    findings: z.array(findingSchema),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  summarize: (o) =>
    `${o.applied ? `${o.sentinels.length} sentinels monitor ${o.name} at ${o.master} (quorum ${o.quorum}), verified after ${o.convergedMs} ms` : `Dry run: ${o.sentinels.length} sentinels would monitor ${o.name} at ${o.master} (quorum ${o.quorum})`}.` +
    o.warnings.map((w) => `\n  warning: ${w}`).join("") +
    `\n  sentinel.conf:\n${o.configLines.map((l) => `    ${l}`).join("\n")}`,
  cli: { args: ["master"], flags: { downAfterMs: "down-after", failoverTimeoutMs: "failover-timeout" } },
  async handler(input, ctx) {
    const { t, sentinels, lab } = await resolveSentinels(ctx, input, true);
    const wanted = input.master ?? lab?.topology?.master ?? (lab ? formatAddress(lab.nodes[0]) : undefined);
    if (!wanted) throw new ValidationError("Name the master to monitor (master: HOST:PORT).", "Pass master, or a lab whose master it is.");
    // The caller (or the lab state) names the master: its own owner's credentials, never the sentinels'.
    const master = (await t.access.name(formatAddress(parseAddress(wanted)))).address;
    const r = await monitorMaster(
      { sentinels, master, name: input.name, quorum: input.quorum, downAfterMs: input.downAfterMs, failoverTimeoutMs: input.failoverTimeoutMs, parallelSyncs: input.parallelSyncs, access: t.access, zones: t.zones, dryRun: input.dryRun },
      ctx,
    );
    return {
      applied: r.applied,
      name: r.plan.settings.name,
      master: r.plan.settings.master,
      quorum: r.plan.settings.quorum,
      sentinels: r.plan.sentinels,
      configLines: r.plan.configLines,
      warnings: r.plan.warnings,
      ...(r.convergedMs !== undefined ? { convergedMs: r.convergedMs } : {}),
      findings: r.findings,
    };
  },
});
