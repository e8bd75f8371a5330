import { z } from "zod";
import { NodePool } from "../../src/redis/connection.js";
import { targetFields } from "../../src/registry/fields.js";
import { table } from "../../src/registry/table.js";
import { defineTool } from "../../src/registry/tool.js";
import { sampleLag } from "../../src/topology/replication-lag.js";
import { readReplicationView } from "../../src/topology/replication-view.js";

const statSchema = z.object({ min: z.number(), avg: z.number(), max: z.number() });

export const replicationLag = defineTool({
  name: "replication_lag",
  title: "How far behind are the replicas",
  description:
    "Samples every master's INFO replication over a window (default 5 s, every 250 ms) and reports per replica the min / avg / max of the bytes it is behind " +
    "(master offset minus the offset it acknowledged) and of the seconds since its last acknowledgment. Read-only. A replica's lag is what a failover " +
    "to it would lose and how stale its reads are.",
  toolset: "replication",
  input: z.object({
    ...targetFields,
    durationMs: z.number().int().min(0).max(600_000).default(5000).describe("Sampling window in ms."),
    intervalMs: z.number().int().min(10).max(60_000).default(250).describe("Time between samples in ms."),
  }),
  output: z.object({
    replicas: z.array(z.object({ replica: z.string(), master: z.string(), samples: z.number(), bytes: statSchema, seconds: statSchema, offline: z.number() })),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  summarize: (o) =>
    o.replicas.length === 0
      ? "No replicas found."
      : o.replicas.map((r) => `${r.replica} (of ${r.master}): ${r.bytes.min}/${r.bytes.avg}/${r.bytes.max} bytes behind, ${r.seconds.min}/${r.seconds.avg}/${r.seconds.max} s since last ack (min/avg/max over ${r.samples} samples)${r.offline ? `, offline in ${r.offline}` : ""}`).join("\n"),
  cli: {
    flags: { durationMs: "duration", intervalMs: "interval" },
    render: (o) =>
      table(
        ["REPLICA", "MASTER", "SAMPLES", "BYTES MIN", "AVG", "MAX", "SECONDS MIN", "AVG", "MAX"],
        o.replicas.map((r) => [r.replica, r.master, String(r.samples), String(r.bytes.min), String(r.bytes.avg), String(r.bytes.max), String(r.seconds.min), String(r.seconds.avg), String(r.seconds.max)]),
      ),
  },
  async handler({ lab, target, nodes, durationMs, intervalMs }, ctx) {
    const t = await ctx.targets.resolve({ lab, target, nodes }, { mutate: false });
    const pool = new NodePool(t.access);
    try {
      const view = await readReplicationView(t.addresses, { pool, zones: t.zones });
      const masters = view.nodes.filter((n) => n.replication.role === "master").map((n) => n.address);
      return { replicas: await sampleLag(pool, masters, { durationMs, intervalMs, signal: ctx.signal }) };
    } finally {
      await pool.close();
    }
  },
});
