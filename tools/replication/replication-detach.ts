import { z } from "zod";
import { promote } from "../../src/ops/replication/promote.js";
import { resolveNamed } from "../../src/ops/resolve-named.js";
import { formatAddress, parseAddress } from "../../src/redis/address.js";
import { dryRunField, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";
import { promoteOutput } from "./replication-promote.js";

export const replicationDetach = defineTool({
  name: "replication_detach",
  title: "Detach a replica",
  description:
    "Stop one replica replicating (REPLICAOF NO ONE): it becomes a master of its own, keeping the data it had; the master and its other replicas are untouched. " +
    "Use it to split a copy off (for a test, an export, a migration); verified. From then on it no longer receives the master's writes.",
  toolset: "replication",
  input: z.object({ ...targetFields, replica: z.string().describe("The replica to detach, HOST:PORT."), ...dryRunField }),
  output: promoteOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  summarize: (o) => (o.applied ? `Detached ${o.replica}: it is a master of its own now (${o.writableMs} ms).` : `Dry run: would detach ${o.replica} from ${o.oldMaster ?? "its master"}.`),
  cli: { args: ["replica"] },
  async handler(input, ctx) {
    const replica = formatAddress(parseAddress(input.replica));
    const t = await resolveNamed(ctx, input, [replica], true);
    const r = await promote({ replica, access: t.access, zones: t.zones, mode: "detach", dryRun: input.dryRun }, ctx);
    return { applied: r.applied, replica: r.plan.replica, ...(r.plan.oldMaster ? { oldMaster: r.plan.oldMaster } : {}), repoint: r.plan.repoint, steps: r.plan.steps, warnings: r.plan.warnings, ...(r.writableMs !== undefined ? { writableMs: r.writableMs } : {}), findings: r.findings };
  },
});
