import { z } from "zod";
import { checkReplication } from "../../src/checks/replication-checks.js";
import { hasErrors } from "../../src/checks/finding.js";
import { NodePool } from "../../src/redis/connection.js";
import { findingSchema, targetFields } from "../../src/registry/fields.js";
import { table } from "../../src/registry/table.js";
import { defineTool } from "../../src/registry/tool.js";
import { readReplicationView } from "../../src/topology/replication-view.js";
import { replicationRows } from "../../src/topology/replication-rows.js";
import { readSwitchoverJournals, switchoverFindings } from "../../src/ops/replication/switchover-journal.js";

/** One node as replication_check and replication_info show it (src/topology/replication-rows.ts). */
export const replicationNodeSchema = z.object({
  address: z.string(),
  zone: z.string().optional(),
  role: z.enum(["master", "replica"]),
  master: z.string().optional().describe("A replica's master, HOST:PORT."),
  link: z.enum(["up", "down"]).optional(),
  linkDownSeconds: z.number().optional(),
  offset: z.number(),
  lagBytes: z.number().optional(),
  lagSeconds: z.number().optional(),
  replicas: z.array(z.string()).optional().describe("A master's replicas as it lists them."),
  keys: z.number(),
  minReplicasToWrite: z.number().optional(),
  clusterEnabled: z.boolean().describe("cluster-enabled yes: a Redis Cluster node (use the cluster tools)."),
});

/** The table both tools print. */
export function replicationTable(nodes: z.infer<typeof replicationNodeSchema>[]): string {
  const rows = nodes.map((n) => [n.address, n.zone ?? "", n.role, n.master ?? "", n.link ?? "", String(n.offset), n.lagBytes === undefined ? "" : `${n.lagBytes} B / ${n.lagSeconds} s`, String(n.keys)]);
  return table(["NODE", "ZONE", "ROLE", "MASTER", "LINK", "OFFSET", "LAG", "KEYS"], rows);
}

type Out = { ok: boolean; nodes: z.infer<typeof replicationNodeSchema>[]; findings: { severity: string; code: string; message: string }[] };

function summary(o: Out): string {
  const masters = o.nodes.filter((n) => n.role === "master").length;
  const errors = o.findings.filter((f) => f.severity === "error").length;
  const warnings = o.findings.filter((f) => f.severity === "warning").length;
    return [`${o.ok ? "OK" : "FAILED"}: ${o.nodes.length} nodes (${masters} master${masters === 1 ? "" : "s"}, ${o.nodes.length - masters} replica${o.nodes.length - masters === 1 ? "" : "s"}), ${errors} error(s), ${warnings} warning(s).`, ...o.findings.map((f) => `  ${f.severity.padEnd(7)} ${f.code}  ${f.message}`)].join("\n");
}

export const replicationCheck = defineTool({
  name: "replication_check",
  title: "Check master/replica replication",
  description:
    "Reads INFO replication (and the settings that decide what a failover loses) on the named nodes and every master or replica they report, " +
    "and checks: replica links up, lag under a limit, no replica of an unknown or unreachable master, no chains or loops, masters with replicas, " +
    "min-replicas-to-write set where replicas exist, replicas read-only, no master without persistence that could restart empty. Read-only; " +
    "ok is false when any finding is an error. Works on plain replication (non-cluster nodes) and on a Sentinel-managed set.",
  toolset: "replication",
  input: z.object({
    ...targetFields,
    maxLagBytes: z.number().int().min(0).optional().describe("Lag in bytes over which a replica is reported (default 1048576)."),
    replicasPerMaster: z.number().int().min(0).optional().describe("Wanted online replicas per master; fewer is an error."),
  }),
  output: z.object({ ok: z.boolean(), nodes: z.array(replicationNodeSchema), findings: z.array(findingSchema) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  summarize: (o) => summary(o),
  cli: {
    exitCode: (o) => (o.ok ? 0 : 1),
    flags: { maxLagBytes: "max-lag", replicasPerMaster: "replicas" },
    render: (o) => `${replicationTable(o.nodes)}\n${summary(o)}`,
  },
  async handler({ lab, target, nodes, maxLagBytes, replicasPerMaster }, ctx) {
    const t = await ctx.targets.resolve({ lab, target, nodes }, { mutate: false });
    const pool = new NodePool(t.access);
    try {
      const view = await readReplicationView(t.addresses, { pool, zones: t.zones });
      // A switchover a SIGKILL cut short left its journal: judged against what the servers say now.
      const findings = [...checkReplication(view, { maxLagBytes, replicasPerMaster }), ...switchoverFindings(view, await readSwitchoverJournals())];
      return { ok: !hasErrors(findings), nodes: replicationRows(view), findings };
    } finally {
      await pool.close();
    }
  },
});
