import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { dryRunField } from "../../src/registry/fields.js";
import { labDown as stopLab, labUp as startLab, normalizeSpec, placeNodes, specFor } from "../../src/lab/index.js";
import { placeSentinels } from "../../src/lab/spec.js";
import { findTemplate, TEMPLATES } from "../../src/lab/templates/index.js";
import { isLabReserved } from "../../src/lab/store.js";
import { CancelledError, LabExistsError } from "../../src/errors.js";
import { formatAddress } from "../../src/redis/address.js";
import { table } from "../../src/registry/table.js";
import { againRef } from "../../src/registry/words.js";

const nodeSchema = z.object({
  address: z.string().describe("HOST:PORT; in a dry run only the host, ports are probed at start."),
  zone: z.string(),
});

export const labUpOutput = z.object({
  name: z.string(),
  backend: z.enum(["local", "docker"]),
  cluster: z.boolean(),
  dryRun: z.boolean(),
  /** Node data dir; absent in a dry run. */
  dir: z.string().optional(),
  nodes: z.array(nodeSchema),
  /** redis-sentinel processes, when the lab runs any. */
  sentinels: z.array(nodeSchema).optional(),
  /** The pattern a template built, and what it protects against. */
  template: z
    .object({
      name: z.string(),
      pattern: z.string(),
      protectsAgainst: z.string(),
      doesNotProtectAgainst: z.string(),
      master: z.string().optional(),
      replicas: z.array(z.string()).optional(),
      sentinelMaster: z.string().optional(),
    })
    .optional(),
  elapsedMs: z.number().optional(),
});

export const labUp = defineTool({
  name: "lab_up",
  title: "Start a lab",
  description:
    "Start a named sandbox of empty Redis nodes on this machine (one redis-server process per node, or with " +
    "backend docker one container per node on host networking; each node on its own loopback address " +
    "127.0.ZONE.N; zones are loopback subnets). Use it to get servers " +
    "to practise on before cluster_create, failover drills and checks. Nodes are cluster-enabled but " +
    "not yet joined into a cluster. Starts processes and saves lab state; changes nothing else. " +
    "Returns the node addresses and zones (never the password). Fails if the name is in use.",
  toolset: "lab",
  input: z.object({
    name: z.string().default("demo").describe("Lab name: 1-40 of a-z, 0-9, '-'."),
    nodes: z.number().int().min(1).max(64).default(6).describe("Number of redis nodes."),
    cluster: z.boolean().default(true).describe("Start nodes with cluster-enabled yes."),
    zones: z.number().int().min(1).default(1).describe("Spread nodes over this many zones (loopback subnets)."),
    nodeTimeoutMs: z.number().int().min(100).optional().describe("cluster-node-timeout in ms (default 15000)."),
    password: z.string().optional().describe("requirepass/masterauth for every node; never returned."),
    backend: z.enum(["local", "docker"]).default("local").describe("local: redis-server processes (needs only redis-server); docker: one container per node on a Docker engine (DOCKER_HOST or the default socket)."),
    image: z.string().optional().describe("Docker backend: image to run, e.g. redis:7.2 (default: a small image built from this host's redis-server, see lab_image)."),
    sentinels: z.number().int().min(0).max(9).optional().describe("Also start this many redis-sentinel processes (monitoring nothing until sentinel_monitor)."),
    template: z
      .string()
      .optional()
      .describe(`Build a named pattern instead of empty nodes (sets nodes, sentinels, zones, cluster mode): ${TEMPLATES.map((t) => `${t.name} (${t.pattern})`).join("; ")}`),
    replicas: z.number().int().min(1).max(16).optional().describe("Replicas for templates that take a number: read-replicas (default 2), multi-dc (per master, default 2), geo (per master, default 1)."),
    ...dryRunField,
  }),
  output: labUpOutput,
  labEffect: "starts",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  summarize: (o) =>
    `${o.dryRun ? "Would start" : "Started"} lab ${o.name}: ${o.nodes.length} ${o.cluster ? "cluster-enabled " : ""}nodes ` +
    `(${o.nodes.map((n) => `${n.address} ${n.zone}`).join(", ")})` +
    (o.sentinels ? ` and ${o.sentinels.length} sentinels (${o.sentinels.map((n) => `${n.address} ${n.zone}`).join(", ")})` : "") +
    (o.elapsedMs !== undefined ? ` in ${o.elapsedMs} ms.` : ".") +
    (o.template ? ` ${o.template.name}: ${o.template.pattern} Protects against: ${o.template.protectsAgainst} Does not protect against: ${o.template.doesNotProtectAgainst}` : ""),
  cli: {
    flags: { nodeTimeoutMs: "node-timeout" },
    env: { password: "password-env" },
    render(o) {
      const head = o.dryRun
        ? `Would start lab ${o.name}: ${o.nodes.length} nodes (ports are chosen at start).`
        : `Lab ${o.name} is up: ${o.nodes.length} ${o.cluster ? "cluster-enabled " : ""}nodes in ${o.elapsedMs} ms, data in ${o.dir}.`;
      const roleOf = (a: string) => (o.template?.master === a ? "master" : o.template?.replicas?.includes(a) ? "replica" : "");
      const rows = [...o.nodes.map((n) => [n.address, n.zone, roleOf(n.address)]), ...(o.sentinels ?? []).map((n) => [n.address, n.zone, "sentinel"])];
      const about = o.template
        ? `\n\n${o.template.name}: ${o.template.pattern}\nProtects against: ${o.template.protectsAgainst}\nDoes not protect against: ${o.template.doesNotProtectAgainst}` +
          (o.template.sentinelMaster ? `\nSentinels monitor it as '${o.template.sentinelMaster}'.` : "")
        : "";
      return `${head}\n${table(["ADDRESS", "ZONE", "ROLE"], rows)}${about}`;
    },
  },
  async handler(input, ctx) {
    const { dryRun, ...spec } = input;
    const template = spec.template ? findTemplate(spec.template) : undefined;
    const described = template ? { name: template.name, pattern: template.pattern, protectsAgainst: template.protectsAgainst, doesNotProtectAgainst: template.doesNotProtectAgainst } : undefined;
    if (dryRun) {
      const s = normalizeSpec(specFor(spec));
      if (await isLabReserved(s.name)) throw new LabExistsError(s.name);
      const placed = placeNodes(s.nodes, s.zones);
      const nodes = placed.map((p) => ({ address: p.host, zone: p.zone }));
      const sentinels = placeSentinels(s.sentinels ?? 0, s.zones, placed).map((p) => ({ address: p.host, zone: p.zone }));
      return { name: s.name, backend: s.backend, cluster: s.cluster, dryRun: true, nodes, ...(sentinels.length ? { sentinels } : {}), ...(described ? { template: described } : {}) };
    }
    if (ctx.signal.aborted) throw new CancelledError("lab_up was cancelled before starting any node.", `Nothing was started; ${againRef("lab_up")} when needed.`);
    const started = Date.now();
    const s = normalizeSpec(specFor(spec));
    const total = s.nodes + (s.sentinels ?? 0);
    let up = 0;
    const state = await startLab(spec, (message) => ctx.progress({ step: "lab", message, progress: ++up, total, elapsedMs: Date.now() - started }));
    // Nodes start all at once and cannot be stopped half-way; a cancel seen by then stops every one of them.
    if (ctx.signal.aborted) {
      await stopLab(state.name);
      throw new CancelledError(
        `lab_up was cancelled; the ${state.nodes.length} nodes it had started were stopped and lab ${state.name} removed.`,
        `Nothing is left running; ${againRef("lab_up")} when needed.`,
      );
    }
    return {
      name: state.name,
      backend: state.backend,
      cluster: state.spec.cluster,
      dryRun: false,
      dir: state.dir,
      nodes: state.nodes.map((n) => ({ address: formatAddress(n), zone: n.zone })),
      ...(state.sentinels ? { sentinels: state.sentinels.map((n) => ({ address: formatAddress(n), zone: n.zone })) } : {}),
      ...(described ? { template: { ...described, master: state.topology?.master, replicas: state.topology?.replicas, sentinelMaster: state.topology?.sentinelMaster } } : {}),
      elapsedMs: Date.now() - started,
    };
  },
});
