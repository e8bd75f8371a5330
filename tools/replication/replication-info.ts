import { z } from "zod";
import { NodePool } from "../../src/redis/connection.js";
import { targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";
import { replicationRows } from "../../src/topology/replication-rows.js";
import { readReplicationView } from "../../src/topology/replication-view.js";
import { replicationNodeSchema, replicationTable } from "./replication-check.js";
import { toolRef } from "../../src/registry/words.js";

export const replicationInfo = defineTool({
  name: "replication_info",
  title: "Show master/replica replication",
  description:
    "Reads INFO replication on the named nodes and every master or replica they report, and shows each node: role, the master a replica follows " +
    "and whether its link is up, offsets, lag, the replicas a master lists, keys, and whether it is a Redis Cluster node. Also lists the nodes that " +
    "were reported but did not answer (e.g. a replica's master that is gone). Read-only and judges nothing: use replication_check for findings.",
  toolset: "replication",
  input: z.object({ ...targetFields }),
  output: z.object({
    nodes: z.array(replicationNodeSchema),
    unreachable: z.array(z.object({ address: z.string(), error: z.string() })).describe("Nodes named or reported that did not answer."),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  summarize: (o) => {
    const masters = o.nodes.filter((n) => n.role === "master").length;
    const cluster = o.nodes.some((n) => n.clusterEnabled) ? ` (Redis Cluster nodes: see ${toolRef("cluster_info")})` : "";
    const gone = o.unreachable.map((u) => `\n  not answering: ${u.address}: ${u.error}`).join("");
    return `${o.nodes.length} node${o.nodes.length === 1 ? "" : "s"}: ${masters} master${masters === 1 ? "" : "s"}, ${o.nodes.length - masters} replica${o.nodes.length - masters === 1 ? "" : "s"}${cluster}.${gone}`;
  },
  cli: { render: (o) => `${replicationTable(o.nodes)}\n${o.unreachable.map((u) => `not answering: ${u.address}: ${u.error}\n`).join("")}`.trimEnd() },
  async handler({ lab, target, nodes }, ctx) {
    const t = await ctx.targets.resolve({ lab, target, nodes }, { mutate: false });
    const pool = new NodePool(t.access);
    try {
      const view = await readReplicationView(t.addresses, { pool, zones: t.zones });
      return { nodes: replicationRows(view), unreachable: view.unreachable };
    } finally {
      await pool.close();
    }
  },
});
