import { z } from "zod";
import { checkReplication, replicaLags } from "../../src/checks/replication-checks.js";
import { hasErrors } from "../../src/checks/finding.js";
import { NodePool } from "../../src/redis/connection.js";
import { findingSchema, targetFields } from "../../src/registry/fields.js";
import { table } from "../../src/registry/table.js";
import { defineTool } from "../../src/registry/tool.js";
import { readReplicationView } from "../../src/topology/replication-view.js";

const nodeSchema = z.object({
  address: z.string(),
  zone: z.string().optional(),
  role: z.enum(["master", "replica"]),
  master: z.string().optional(),
  link: z.enum(["up", "down"]).optional(),
  offset: z.number(),
  lagBytes: z.number().optional(),
  lagSeconds: z.number().optional(),
  keys: z.number(),
  minReplicasToWrite: z.number().optional(),
});

type Out = { ok: boolean; nodes: z.infer<typeof nodeSchema>[]; findings: { severity: string; code: string; message: string }[] };

function summary(o: Out): string {
  const masters = o.nodes.filter((n) => n.role === "master").length;
  const errors = o.findings.filter((f) => f.severity === "error").length;
  const warnings = o.findings.filter((f) => f.severity === "warning").length;
    return [`${o.ok ? "OK" : "FAILED"}: ${o.nodes.length} nodes (${masters} master${masters === 1 ? "" : "s"}, ${o.nodes.length - masters} replicas), ${errors} error(s), ${warnings} warning(s).`, ...o.findings.map((f) => `  ${f.severity.padEnd(7)} ${f.code}  ${f.message}`)].join("\n");
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
  output: z.object({ ok: z.boolean(), nodes: z.array(nodeSchema), findings: z.array(findingSchema) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  summarize: (o) => summary(o),
  cli: {
    exitCode: (o) => (o.ok ? 0 : 1),
    flags: { maxLagBytes: "max-lag", replicasPerMaster: "replicas" },
    render(o) {
      const rows = o.nodes.map((n) => [n.address, n.zone ?? "", n.role, n.master ?? "", n.link ?? "", String(n.offset), n.lagBytes === undefined ? "" : `${n.lagBytes} B / ${n.lagSeconds} s`, String(n.keys)]);
      return `${table(["NODE", "ZONE", "ROLE", "MASTER", "LINK", "OFFSET", "LAG", "KEYS"], rows)}\n${summary(o)}`;
    },
  },
  async handler({ lab, target, nodes, maxLagBytes, replicasPerMaster }, ctx) {
    const t = await ctx.targets.resolve({ lab, target, nodes }, { mutate: false });
    const pool = new NodePool(t.access);
    try {
      const view = await readReplicationView(t.addresses, { pool, zones: t.zones });
      const findings = checkReplication(view, { maxLagBytes, replicasPerMaster });
      const lags = new Map(replicaLags(view).map((l) => [l.replica, l]));
      const out = view.nodes.map((n) => {
        const r = n.replication;
        const lag = lags.get(n.address) ?? [...lags.values()].find((l) => n.ip && l.replica === `${n.ip}:${n.address.split(":").pop()}`);
        return {
          address: n.address,
          ...(n.zone ? { zone: n.zone } : {}),
          role: r.role,
          ...(r.role === "replica" ? { master: `${r.masterHost}:${r.masterPort}`, link: r.masterLinkStatus } : {}),
          offset: r.offset,
          ...(lag ? { lagBytes: lag.bytes, lagSeconds: lag.seconds } : {}),
          keys: n.keys,
          ...(n.settings.minReplicasToWrite !== undefined ? { minReplicasToWrite: n.settings.minReplicasToWrite } : {}),
        };
      });
      return { ok: !hasErrors(findings), nodes: out, findings };
    } finally {
      await pool.close();
    }
  },
});
