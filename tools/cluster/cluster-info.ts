import { z } from "zod";
import { clusterCounts, clusterMembers } from "../../src/topology/members.js";
import { describeMember } from "../../src/topology/describe-member.js";
import { SLOT_COUNT } from "../../src/redis/slots.js";
import { readClusterView } from "../../src/topology/read-cluster-view.js";
import { defineTool } from "../../src/registry/tool.js";
import { targetFields } from "../../src/registry/fields.js";

const nodeSchema = z.object({
  address: z.string(),
  id: z.string(),
  role: z.enum(["master", "replica"]),
  /** For replicas: the master's address. */
  master: z.string().optional(),
  slots: z.string().describe('Owned slots as ranges, e.g. "0-5460"; empty for replicas.'),
  slotCount: z.number().int(),
  keys: z.number().int().optional(),
  zone: z.string().optional(),
  flags: z.array(z.string()).describe("The node's flags, plus fail / fail? / noaddr when any peer sets them."),
  reachable: z.boolean(),
  health: z.enum(["fail", "unreachable", "pfail", "ok"]).describe("fail: some node marks it failed; unreachable: it could not be read; pfail: some node suspects it."),
  failedBy: z.array(z.string()).optional().describe("The nodes that mark it failed (or suspect it)."),
  clusterState: z.enum(["ok", "fail"]).optional(),
  configEpoch: z.number().int(),
  linkStatus: z.enum(["up", "down"]).optional().describe("Replicas: master_link_status."),
  lagBytes: z.number().int().optional().describe("Replicas: master offset minus replica offset."),
});

export const clusterInfo = defineTool({
  name: "cluster_info",
  title: "Describe a Redis Cluster",
  description:
    "Reads every node of a Redis Cluster (following peers from one seed) and returns one row per node: address, id, " +
    "role, master, owned slot ranges and count, keys, zone, flags, health (and which nodes report it failed), " +
    "cluster_state, replication link and lag; plus " +
    "totals and the nodes that could not be read. Read-only. Use it to see the topology; use cluster_check to judge it.",
  toolset: "cluster",
  input: z.object({
    ...targetFields,
    timeoutMs: z.number().int().min(100).max(600_000).optional().describe("Per node: connect and command timeout in ms (default: the target's, else 2000 to connect and 5000 per command)."),
  }),
  output: z.object({
    nodes: z.array(nodeSchema),
    unreachable: z.array(z.object({ address: z.string(), error: z.string() })),
    totals: z.object({
      nodes: z.number().int(),
      masters: z.number().int(),
      replicas: z.number().int(),
      slotsCovered: z.number().int(),
      keys: z.number().int(),
    }),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  summarize(out) {
    const t = out.totals;
    const lines = [`${t.nodes} nodes (${t.masters} masters, ${t.replicas} replicas), ${t.slotsCovered}/${SLOT_COUNT} slots covered, ${t.keys} keys.`];
    const row = (n: z.infer<typeof nodeSchema>, indent: string) => {
      const flags = n.flags.filter((f) => f !== "master" && f !== "slave");
      const parts = [
        `${indent}${n.address.padEnd(21 - indent.length)} ${n.role.padEnd(7)} ${n.id.slice(0, 8)}`,
        n.role === "master" ? `slots ${n.slots || "-"} (${n.slotCount})` : `of ${n.master ?? "?"}, link ${n.linkStatus ?? "?"}${n.lagBytes !== undefined ? `, lag ${n.lagBytes} B` : ""}`,
        n.keys !== undefined ? `${n.keys} keys` : "unreachable",
        n.zone ? `zone ${n.zone}` : "",
        n.clusterState && n.clusterState !== "ok" ? `cluster_state ${n.clusterState}` : "",
        flags.length ? `[${flags.join(",")}]` : "",
      ];
      return parts.filter(Boolean).join("  ");
    };
    const shown = new Set<string>();
    for (const m of out.nodes.filter((n) => n.role === "master")) {
      lines.push(row(m, ""));
      shown.add(m.id);
      for (const r of out.nodes.filter((n) => n.role === "replica" && n.master === m.address)) {
        lines.push(row(r, "  "));
        shown.add(r.id);
      }
    }
    for (const n of out.nodes.filter((n) => !shown.has(n.id))) lines.push(row(n, ""));
    for (const u of out.unreachable) lines.push(`${u.address} unreachable: ${u.error}`);
    return lines.join("\n");
  },
  // A node that could not be read (refused password, down, not Redis) is a failed info: exit 1, as cluster check does.
  cli: { args: ["nodes"], flags: { timeoutMs: "timeout" }, exitCode: (o) => (o.unreachable.length ? 1 : 0) },
  async handler({ lab, target, nodes, timeoutMs }, ctx) {
    const resolved = await ctx.targets.resolve({ lab, target, nodes }, { mutate: false });
    const view = await readClusterView(resolved.addresses, { access: resolved.access, timeoutMs });
    const members = clusterMembers(view);
    const counts = clusterCounts(view, members);
    return {
      nodes: [...members.values()].map((m) => describeMember(m, members, view)).sort((a, b) => a.address.localeCompare(b.address, "en", { numeric: true })),
      unreachable: view.unreachable,
      totals: {
        nodes: counts.nodes,
        masters: counts.masters,
        replicas: counts.replicas,
        slotsCovered: counts.slotsCovered,
        keys: view.nodes.reduce((n, v) => n + v.keys, 0),
      },
    };
  },
});
