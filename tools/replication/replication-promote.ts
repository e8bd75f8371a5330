import { z } from "zod";
import { promote } from "../../src/ops/replication/promote.js";
import { resolveNamed } from "../../src/ops/resolve-named.js";
import { formatAddress, parseAddress } from "../../src/redis/address.js";
import { confirmField, dryRunField, findingSchema, stepSchema, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";

export const promoteOutput = z.object({
  applied: z.boolean(),
  replica: z.string(),
  oldMaster: z.string().optional(),
  repoint: z.array(z.string()),
  steps: z.array(stepSchema),
  warnings: z.array(z.string()),
  writableMs: z.number().optional(),
  findings: z.array(findingSchema),
});

export const replicationPromote = defineTool({
  name: "replication_promote",
  title: "Promote a replica (master gone)",
  description:
    "When a master is gone (no Sentinel to do it): make one of its replicas the master (REPLICAOF NO ONE) and repoint the master's other replicas to it, verified. " +
    "Refuses while the old master still answers as a master (use replication_switchover, which loses nothing). Destructive: writes the old master acknowledged " +
    "but had not replicated are lost, and the old master must rejoin as a replica (replication_attach) before it takes writes again.",
  toolset: "replication",
  input: z.object({
    ...targetFields,
    replica: z.string().describe("The replica to promote, HOST:PORT."),
    ...dryRunField,
    ...confirmField,
  }),
  output: promoteOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  summarize: (o) =>
    o.applied
      ? `Promoted ${o.replica} (writable after ${o.writableMs} ms)${o.repoint.length ? `; ${o.repoint.join(", ")} now replicate from it` : ""}.`
      : `Dry run: would promote ${o.replica}${o.oldMaster ? ` (master ${o.oldMaster} is gone)` : ""}:\n${o.steps.map((s, i) => `  ${i + 1}. ${s.description}`).join("\n")}${o.warnings.map((w) => `\n  warning: ${w}`).join("")}`,
  cli: { args: ["replica"] },
  async handler(input, ctx) {
    const replica = formatAddress(parseAddress(input.replica));
    const t = await resolveNamed(ctx, input, [replica], true);
    const peers = t.addresses.filter((a) => a !== replica);
    const r = await promote({ replica, peers, access: t.access, zones: t.zones, mode: "promote", dryRun: input.dryRun }, ctx);
    return { applied: r.applied, replica: r.plan.replica, ...(r.plan.oldMaster ? { oldMaster: r.plan.oldMaster } : {}), repoint: r.plan.repoint, steps: r.plan.steps, warnings: r.plan.warnings, ...(r.writableMs !== undefined ? { writableMs: r.writableMs } : {}), findings: r.findings };
  },
});
