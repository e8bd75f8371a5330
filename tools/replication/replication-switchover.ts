import { z } from "zod";
import { loadLab } from "../../src/lab/index.js";
import { switchover } from "../../src/ops/replication/switchover.js";
import { mastersBy } from "../../src/ops/sentinel/remonitor.js";
import { resolveNamed } from "../../src/ops/resolve-named.js";
import { formatAddress, parseAddress } from "../../src/redis/address.js";
import { dryRunField, findingSchema, stepSchema, targetFields } from "../../src/registry/fields.js";
import { defineTool, type ToolContext } from "../../src/registry/tool.js";
import { NodePool } from "../../src/redis/connection.js";
import { readReplicationView } from "../../src/topology/replication-view.js";
import { ValidationError } from "../../src/errors.js";
import { argRef, toolRef } from "../../src/registry/words.js";
import { dirname, join } from "node:path";
import { journalDirFor } from "../../src/ops/migrate/tool-shape.js";
import { SWITCHOVER_DIR } from "../../src/ops/replication/switchover-journal.js";

const TOOL = "replication_switchover";

/** With a lab, target or node list and no master named: the one master there that has replicas (it may have moved since the lab was built). */
async function onlyMaster(ctx: Pick<ToolContext, "targets">, ref: { lab?: string; target?: string; nodes?: string[] }): Promise<string> {
  if (!ref.lab && !ref.target && !ref.nodes?.length) throw new ValidationError("Name the master to switch over from.", `Give the master (${argRef("master", "HOST:PORT", TOOL)}), or a lab or target that has one master.`);
  // mutate: the switchover will change these nodes, so a read-only place is refused before anything is read.
  const t = await ctx.targets.resolve(ref, { mutate: true });
  const pool = new NodePool(t.access);
  try {
    const view = await readReplicationView(t.addresses, { pool, zones: t.zones });
    const masters = view.nodes.filter((n) => n.replication.role === "master" && n.replication.connectedReplicas.length > 0).map((n) => n.address);
    if (masters.length === 1) return masters[0];
    throw new ValidationError(
      masters.length ? `There are ${masters.length} masters with replicas here (${masters.join(", ")}): which one to switch over from is not clear.` : "No master with a replica was found here: there is nothing to switch over to.",
      masters.length ? `Give the master (${argRef("master", "HOST:PORT", TOOL)}).` : `Attach a replica first (${toolRef("replication_attach")}).`,
    );
  } finally {
    await pool.close();
  }
}

export const replicationSwitchover = defineTool({
  name: TOOL,
  title: "Planned switchover to a replica",
  description:
    "Move the master role to one of its replicas losing no acknowledged write: pauses writes on the master (CLIENT PAUSE WRITE), waits until the " +
    "replica has its offset, promotes it (REPLICAOF NO ONE) and demotes the old master; the other replicas are repointed, and where sentinels watch the master " +
    "(sentinels + name, or a lab that runs them) every sentinel is re-pointed with the same settings and must agree afterwards. Verified. " +
    "Writes pause for tens of milliseconds; clients with reconnectOnError for READONLY carry on. Use for maintenance; for a dead master use replication_promote or sentinel_failover.",
  toolset: "replication",
  input: z.object({
    ...targetFields,
    master: z.string().optional().describe("The current master, HOST:PORT; default: the one master with replicas among the lab, target or nodes."),
    to: z.string().optional().describe("The replica to promote, HOST:PORT; default: the most up-to-date online replica."),
    sentinels: z.array(z.string()).optional().describe("Sentinels watching the master (HOST:PORT); default: the lab's sentinels."),
    name: z.string().optional().describe("The master name the sentinels know it by (default: the lab's, 'mymaster')."),
    timeoutMs: z.number().int().min(100).max(60_000).optional().describe("The longest writes stay paused (CLIENT PAUSE timeout, default 5000)."),
    ...dryRunField,
  }),
  output: z.object({
    applied: z.boolean(),
    from: z.string(),
    to: z.string(),
    steps: z.array(stepSchema),
    warnings: z.array(z.string()).describe("What the switchover cannot do, e.g. keep the role of a node that runs without a config file across a restart."),
    writableMs: z.number().optional(),
    totalMs: z.number().optional(),
    findings: z.array(findingSchema),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  summarize: (o) =>
    (o.applied
      ? `Switched over from ${o.from} to ${o.to}: writable after ${o.writableMs} ms, replicas${o.steps.some((s) => s.kind === "sentinel-monitor") ? " and sentinels" : ""} agree after ${o.totalMs} ms; no acknowledged write lost.`
      : `Dry run: would switch over from ${o.from} to ${o.to}:\n${o.steps.map((s, i) => `  ${i + 1}. ${s.description}`).join("\n")}`) + o.warnings.map((w) => `\n  warning: ${w}`).join(""),
  cli: { args: ["master", "to"], flags: { timeoutMs: "timeout" } },
  async handler(input, ctx) {
    const lab = input.lab ? await loadLab(input.lab) : undefined;
    const sentinels = input.sentinels ?? lab?.sentinels?.map((s) => formatAddress(s)) ?? [];
    const master = formatAddress(parseAddress(input.master ?? (await onlyMaster(ctx, input))));
    const t = await resolveNamed(ctx, input, [master, ...(input.to ? [input.to] : [])], true);
    // The caller (or the lab state) names the sentinels: their own owner's credentials and policy, never the master's.
    for (const s of sentinels) await t.access.name(s);
    // The name they watch this master by: given, the lab's, or read from them (a sentinel left out would undo the switch).
    const name = input.name ?? lab?.topology?.sentinelMaster ?? (sentinels.length ? Object.entries(await mastersBy(t.access, sentinels)).find(([, at]) => at === master)?.[0] : undefined);
    const r = await switchover(
      { master, to: input.to, access: t.access, zones: t.zones, dryRun: input.dryRun, timeoutMs: input.timeoutMs, journalDir: join(dirname(journalDirFor(t)), SWITCHOVER_DIR), ...(sentinels.length && name ? { sentinels: { addresses: sentinels, name } } : {}) },
      ctx,
    );
    return {
      applied: r.applied,
      from: r.plan.from,
      to: r.plan.to,
      steps: r.plan.steps.map((s) => ({ kind: s.kind, description: s.description })),
      warnings: r.plan.warnings,
      ...(r.writableMs !== undefined ? { writableMs: r.writableMs, totalMs: r.totalMs } : {}),
      findings: r.findings,
    };
  },
});
