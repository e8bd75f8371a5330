import { z } from "zod";
import { monitoredBy } from "../../src/ops/sentinel/remonitor.js";
import { sentinelFailover } from "../../src/ops/sentinel/failover.js";
import { chooseName, resolveSentinels } from "../../src/ops/sentinel/resolve-sentinels.js";
import { confirmField, dryRunField, findingSchema, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";

export const sentinelFailoverTool = defineTool({
  name: "sentinel_failover",
  title: "Fail over through Sentinel",
  description:
    "Force a failover of a Sentinel-managed master (SENTINEL FAILOVER <name>): a sentinel promotes the best replica without waiting for the master to be " +
    "judged down. Verified as Redis's Sentinel tests do: every sentinel names the new master, it answers as master, the other replicas and the old master " +
    "(when it answers) replicate from it. Reports how long until the new master was writable. Destructive: writes the old master acknowledged but had not " +
    "replicated are lost (for a planned move that loses nothing use replication_switchover). Refuses an unknown master name or sentinels that disagree.",
  toolset: "sentinel",
  input: z.object({
    ...targetFields,
    name: z.string().optional().describe("Master name (default: the lab's, or the only one the sentinels monitor)."),
    timeoutMs: z.number().int().min(1000).max(600_000).optional().describe("Give up after this long (default 30000)."),
    ...dryRunField,
    ...confirmField,
  }),
  output: z.object({
    applied: z.boolean(),
    name: z.string(),
    oldMaster: z.string(),
    newMaster: z.string().optional(),
    via: z.string(),
    replicas: z.array(z.string()),
    writableMs: z.number().optional(),
    totalMs: z.number().optional(),
    findings: z.array(findingSchema),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  summarize: (o) =>
    o.applied
      ? `Failed over ${o.name} from ${o.oldMaster} to ${o.newMaster}: writable after ${o.writableMs} ms; every sentinel and replica agreed after ${o.totalMs} ms.`
      : `Dry run: SENTINEL FAILOVER ${o.name} via ${o.via} would promote one of ${o.replicas.join(", ")} in place of ${o.oldMaster}; unreplicated writes would be lost.`,
  cli: { args: ["name"], flags: { timeoutMs: "timeout" } },
  async handler(input, ctx) {
    const { t, sentinels, lab } = await resolveSentinels(ctx, input, true);
    const name = input.name ?? lab?.topology?.sentinelMaster ?? chooseName(undefined, undefined, await monitoredBy(t.access, sentinels));
    const r = await sentinelFailover({ sentinels, name, access: t.access, dryRun: input.dryRun, timeoutMs: input.timeoutMs }, ctx);
    return { ...r };
  },
});
