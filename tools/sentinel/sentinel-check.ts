import { z } from "zod";
import { checkSentinels } from "../../src/checks/sentinel-checks.js";
import { hasErrors } from "../../src/checks/finding.js";
import { chooseName, resolveSentinels } from "../../src/ops/sentinel/resolve-sentinels.js";
import { UnknownMasterNameError } from "../../src/ops/sentinel/remonitor.js";
import { NodePool } from "../../src/redis/connection.js";
import { formatAddress } from "../../src/redis/address.js";
import { findingSchema, targetFields } from "../../src/registry/fields.js";
import { table } from "../../src/registry/table.js";
import { defineTool } from "../../src/registry/tool.js";
import { monitoredNames, readSentinelView } from "../../src/topology/sentinel-view.js";
import { readReplicationNode } from "../../src/topology/replication-view.js";

const outputSchema = z.object({
  ok: z.boolean(),
  name: z.string(),
  sentinels: z.array(
    z.object({
      address: z.string(),
      zone: z.string().optional(),
      master: z.string().optional(),
      flags: z.array(z.string()),
      configEpoch: z.number().optional(),
      replicas: z.number(),
      otherSentinels: z.number(),
      quorum: z.number().optional(),
      ckquorum: z.string(),
    }),
  ),
  findings: z.array(findingSchema),
});

function summary(o: z.infer<typeof outputSchema>): string {
  const head = `${o.ok ? "OK" : "FAILED"}: ${o.sentinels.length} sentinels watch ${o.name}${o.sentinels[0]?.master ? ` at ${o.sentinels[0].master}` : ""}, ${o.findings.filter((f) => f.severity === "error").length} error(s).`;
  return [head, ...o.findings.map((f) => `  ${f.severity.padEnd(7)} ${f.code}  ${f.message}`)].join("\n");
}

export const sentinelCheck = defineTool({
  name: "sentinel_check",
  title: "Check Sentinel",
  description:
    "Reads what every sentinel believes about a master (address, flags, config epoch, the replicas and other sentinels it knows, CKQUORUM) and checks: " +
    "every sentinel reachable and agreeing on the master, CKQUORUM OK, quorum reachable and how it compares with the majority a failover needs, " +
    "sentinels that do not see each other, sentinels sharing the master's host or zone, replicas Sentinel could promote (replica-priority). Read-only. " +
    "Name the sentinels (a lab that runs them, a target or HOST:PORT list of sentinels); name is the master name (default: the only one).",
  toolset: "sentinel",
  input: z.object({ ...targetFields, name: z.string().optional().describe("Master name the sentinels monitor (default: the only one).") }),
  output: outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  summarize: summary,
  cli: {
    exitCode: (o) => (o.ok ? 0 : 1),
    render: (o) =>
      `${table(
        ["SENTINEL", "ZONE", "MASTER", "FLAGS", "EPOCH", "REPLICAS", "SENTINELS", "CKQUORUM"],
        o.sentinels.map((s) => [s.address, s.zone ?? "", s.master ?? "-", s.flags.join(","), String(s.configEpoch ?? ""), String(s.replicas), String(s.otherSentinels + 1), s.ckquorum]),
      )}\n${summary(o)}`,
  },
  async handler({ lab, target, nodes, name }, ctx) {
    const { t, sentinels, lab: state } = await resolveSentinels(ctx, { lab, target, nodes }, false);
    const pool = new NodePool(t.access);
    try {
      const all = await readSentinelView(sentinels, { pool, zones: t.zones });
      const known = monitoredNames(all);
      const chosen = chooseName(name, state, known);
      if (!known.includes(chosen)) throw new UnknownMasterNameError(chosen, known);
      const view = await readSentinelView(sentinels, { pool, name: chosen, zones: t.zones });
      const first = view.sentinels.find((s) => s.masters[chosen])!.masters[chosen].master;
      const masterAddress = formatAddress({ host: first.host, port: first.port });
      // Where the master runs, for the placement checks: its IP as reached, its zone as the lab or target knows it.
      const grant = await t.access.admit(masterAddress, view.sentinels[0].address).catch(() => undefined);
      const master = grant ? await readReplicationNode(pool, grant.address, grant.zone).catch(() => undefined) : undefined;
      const findings = checkSentinels(view, chosen, { ip: master?.ip ?? first.host, zone: master?.zone ?? grant?.zone });
      return {
        ok: !hasErrors(findings),
        name: chosen,
        sentinels: view.sentinels.map((s) => {
          const m = s.masters[chosen];
          return {
            address: s.address,
            ...(s.zone ? { zone: s.zone } : {}),
            ...(m ? { master: formatAddress({ host: m.master.host, port: m.master.port }), configEpoch: m.master.configEpoch, quorum: m.master.quorum } : {}),
            flags: m?.master.flags ?? [],
            replicas: m?.replicas.length ?? 0,
            otherSentinels: m?.sentinels.length ?? 0,
            ckquorum: m ? (m.ckquorum.ok ? "OK" : m.ckquorum.message.split(" ")[0]) : "-",
          };
        }),
        findings,
      };
    } finally {
      await pool.close();
    }
  },
});
