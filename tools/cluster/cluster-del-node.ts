import { z } from "zod";
import { ValidationError } from "../../src/errors.js";
import { delNode } from "../../src/ops/del-node/index.js";
import { journalDirFor, migrationOutput, migrationOutputSchema, parseWeights } from "../../src/ops/migrate/tool-shape.js";
import { confirmField, dryRunField, findingSchema, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";
import { argRef } from "../../src/registry/words.js";

/** redis-cli's form `del-node HOST:PORT NODE_ID`: the id may come as the last positional argument. */
function splitNodeArg(nodes: string[] | undefined, node: string | undefined): { nodes?: string[]; node?: string } {
  if (node) return { nodes, node };
  const last = nodes?.at(-1);
  if (nodes && nodes.length > 1 && last && !/:\d+$/.test(last)) return { nodes: nodes.slice(0, -1), node: last };
  return { nodes };
}

function noNode(): never {
  throw new ValidationError("No node to remove was named.", `Name it with ${argRef("node", "NODE", "cluster_del_node")} (a node id, prefix or HOST:PORT; on the command line a node id may also follow the entry node, as in redis-cli).`);
}

export const clusterDelNode = defineTool({
  name: "cluster_del_node",
  title: "Remove a node from a Redis Cluster",
  description:
    "Removes one node from a cluster. A master holding slots is refused unless drain, which first moves its slots " +
    "to the other masters by weight (spread, never all onto one; journaled and verified like cluster_reshard). Its " +
    "replicas move to the remaining masters (least-replicated, on another host and zone), every node FORGETs it at " +
    "once, and it is reset (reset: soft by default, hard, or none) and shut down (shutdown) only if asked. Returns when no remaining node " +
    "knows it and the cluster checks clean. Destructive: review the dry run, then confirm.",
  toolset: "cluster",
  input: z.object({
    ...targetFields,
    node: z.string().optional().describe("The node to remove: id, prefix or HOST:PORT (CLI: also the last positional argument)."),
    drain: z.boolean().optional().describe("Move a master's slots to the other masters first."),
    weight: z.array(z.string()).optional().describe("Drain weights as NODE=W among the receiving masters."),
    reset: z.enum(["soft", "hard", "none"]).optional().describe("CLUSTER RESET the removed node afterwards (default soft: it forgets the cluster, so it no longer claims to be a member and can be added again; none: leave it as it is)."),
    shutdown: z.boolean().optional().describe("SHUTDOWN the removed node afterwards."),
    pipeline: z.number().int().min(1).max(100_000).optional().describe("Most keys per MIGRATE call while draining (default 1000)."),
    ...dryRunField,
    ...confirmField,
  }),
  output: z.object({
    applied: z.boolean(),
    ok: z.boolean(),
    removed: z.object({ id: z.string(), address: z.string(), role: z.enum(["master", "replica"]), slots: z.number().int() }),
    drain: migrationOutputSchema.optional(),
    replicasMoved: z.array(z.object({ address: z.string(), to: z.string(), reason: z.string() })),
    forgottenBy: z.array(z.string()),
    reset: z.string().optional(),
    shutdown: z.boolean(),
    warnings: z.array(z.string()),
    timings: z.record(z.string(), z.number()),
    findings: z.array(findingSchema),
  }),
  runsLong: true,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  summarize(o) {
    const r = o.removed;
    const lines = [
      o.applied
        ? `Removed ${r.address} (${r.id.slice(0, 8)}, ${r.role}): forgotten by ${o.forgottenBy.length} node(s) in ${o.timings.forgetMs} ms; verified.`
        : `Dry run: would remove ${r.address} (${r.id.slice(0, 8)}, ${r.role}${r.slots ? `, ${r.slots} slots` : ""}); nothing changed.`,
      ...(o.drain ? [`  drain: ${o.drain.lines.length ? o.drain.lines.join("; ") : "nothing to move"}${o.applied ? ` (${o.drain.keysMoved} keys in ${o.drain.timings.moveMs} ms)` : ""}`] : []),
      ...o.replicasMoved.map((m) => `  replica ${m.address} -> ${m.to} (${m.reason})`),
      ...(o.reset ? [`  CLUSTER RESET ${o.reset.toUpperCase()} on ${r.address}`] : []),
      ...(o.shutdown ? [`  SHUTDOWN ${r.address}`] : []),
      ...o.warnings.map((w) => `warning: ${w}`),
    ];
    return lines.join("\n");
  },
  cli: { args: ["nodes"], withPlace: "node", exitCode: (o) => (o.applied && !o.ok ? 1 : 0) },
  async handler(input, ctx) {
    const { nodes, node } = splitNodeArg(input.nodes, input.node);
    const t = await ctx.targets.resolve({ ...input, nodes }, { mutate: true });
    if (!node) noNode();
    const r = await delNode(
      {
        addresses: t.addresses,
        access: t.access,
        zones: t.zones,
        journalDir: journalDirFor(t),
        node,
        drain: input.drain,
        weights: parseWeights(input.weight),
        reset: input.reset,
        shutdown: input.shutdown,
        engine: { limits: { maxKeys: input.pipeline } },
        dryRun: input.dryRun,
      },
      { progress: ctx.progress, signal: ctx.signal },
    );
    const { drain, ...rest } = r;
    return { ...rest, ...(drain ? { drain: migrationOutput(drain) } : {}), ok: r.applied && !r.findings.some((f) => f.severity === "error"), timings: { ...r.timings } };
  },
});
