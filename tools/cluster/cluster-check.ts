import { z } from "zod";
import { checkCluster } from "../../src/checks/cluster-checks.js";
import { clusterCounts } from "../../src/topology/members.js";
import { hasErrors } from "../../src/checks/finding.js";
import { readClusterView } from "../../src/topology/read-cluster-view.js";
import { SLOT_COUNT } from "../../src/redis/slots.js";
import { defineTool } from "../../src/registry/tool.js";
import { findingSchema, targetFields } from "../../src/registry/fields.js";
import { buildSettingsFindings, readJournals } from "../../src/ops/cluster-create/settings-journal.js";

const countsSchema = z.object({
  nodes: z.number().int(),
  reachable: z.number().int(),
  unreachable: z.number().int(),
  masters: z.number().int(),
  replicas: z.number().int(),
  slotsCovered: z.number().int(),
});

export const clusterCheck = defineTool({
  name: "cluster_check",
  title: "Check a Redis Cluster",
  description:
    "Reads every node of a Redis Cluster (following peers from one seed) and checks it: all 16384 slots covered, " +
    "all nodes agree on the slot map and roles, no open (migrating/importing) slots, no failed/suspected/handshake " +
    "nodes, cluster_state ok everywhere, enough replicas per master, replication links up and lag small, replicas " +
    "not on their master's host or zone, no config-epoch collisions, failover settings sound (replicas allowed to " +
    "fail over, one cluster-node-timeout everywhere, none left lowered by an interrupted cluster_create). Read-only. Use it before and after any change, " +
    "or to diagnose; ok is false when any finding is an error. Each finding names the node/slot and a next step.",
  toolset: "cluster",
  input: z.object({
    ...targetFields,
    replicasPerMaster: z.number().int().min(0).optional().describe("Wanted replicas per slot-owning master; fewer is an error."),
    timeoutMs: z.number().int().min(100).max(600_000).optional().describe("Per node: connect and command timeout in ms (default: the target's, else 2000 to connect and 5000 per command)."),
  }),
  output: z.object({
    ok: z.boolean(),
    counts: countsSchema,
    findings: z.array(findingSchema),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  summarize(out) {
    const c = out.counts;
    const errors = out.findings.filter((f) => f.severity === "error").length;
    const warnings = out.findings.filter((f) => f.severity === "warning").length;
    const head =
      `${out.ok ? "OK" : "FAILED"}: ${c.nodes} nodes (${c.masters} masters, ${c.replicas} replicas` +
      `${c.unreachable ? `, ${c.unreachable} unreachable` : ""}), ${c.slotsCovered}/${SLOT_COUNT} slots covered, ` +
      `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}.`;
    const width = Math.max(0, ...out.findings.map((f) => f.code.length));
    return [head, ...out.findings.map((f) => `  ${f.severity.padEnd(7)} ${f.code.padEnd(width)}  ${f.message}`)].join("\n");
  },
  cli: {
    args: ["nodes"],
    flags: { replicasPerMaster: "replicas", timeoutMs: "timeout" },
    exitCode: (o) => (o.ok ? 0 : 1),
  },
  async handler({ lab, target, nodes, replicasPerMaster, timeoutMs }, ctx) {
    const resolved = await ctx.targets.resolve({ lab, target, nodes }, { mutate: false });
    const view = await readClusterView(resolved.addresses, { access: resolved.access, timeoutMs });
    // A cluster create that was killed outright left a journal of the settings it lowered.
    const findings = [...buildSettingsFindings(view, await readJournals()), ...checkCluster(view, { replicasPerMaster })];
    findings.sort((a, b) => Number(b.severity === "error") - Number(a.severity === "error"));
    return { ok: !hasErrors(findings), counts: clusterCounts(view), findings };
  },
});
