import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { dryRunField } from "../../src/registry/fields.js";
import { labDown as stopLab, labUp as startLab, normalizeSpec, placeNodes } from "../../src/lab/index.js";
import { isLabReserved } from "../../src/lab/store.js";
import { CancelledError, LabExistsError } from "../../src/errors.js";
import { formatAddress } from "../../src/redis/address.js";
import { table } from "../../src/registry/table.js";

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
    ...dryRunField,
  }),
  output: labUpOutput,
  labEffect: "starts",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  summarize: (o) =>
    `${o.dryRun ? "Would start" : "Started"} lab ${o.name}: ${o.nodes.length} ${o.cluster ? "cluster-enabled " : ""}nodes ` +
    `(${o.nodes.map((n) => `${n.address} ${n.zone}`).join(", ")})` +
    (o.elapsedMs !== undefined ? ` in ${o.elapsedMs} ms.` : "."),
  cli: {
    flags: { nodeTimeoutMs: "node-timeout" },
    env: { password: "password-env" },
    render(o) {
      const head = o.dryRun
        ? `Would start lab ${o.name}: ${o.nodes.length} nodes (ports are chosen at start).`
        : `Lab ${o.name} is up: ${o.nodes.length} ${o.cluster ? "cluster-enabled " : ""}nodes in ${o.elapsedMs} ms, data in ${o.dir}.`;
      return `${head}\n${table(["ADDRESS", "ZONE"], o.nodes.map((n) => [n.address, n.zone]))}`;
    },
  },
  async handler(input, ctx) {
    const { dryRun, ...spec } = input;
    if (dryRun) {
      const s = normalizeSpec(spec);
      if (await isLabReserved(s.name)) throw new LabExistsError(s.name);
      const nodes = placeNodes(s.nodes, s.zones).map((p) => ({ address: p.host, zone: p.zone }));
      return { name: s.name, backend: s.backend, cluster: s.cluster, dryRun: true, nodes };
    }
    if (ctx.signal.aborted) throw new CancelledError("lab_up was cancelled before starting any node.", "Nothing was started; call lab_up again when needed.");
    const started = Date.now();
    const total = normalizeSpec(spec).nodes;
    let up = 0;
    const state = await startLab(spec, (message) => ctx.progress({ step: "lab", message, progress: ++up, total, elapsedMs: Date.now() - started }));
    // Nodes start all at once and cannot be stopped half-way; a cancel seen by then stops every one of them.
    if (ctx.signal.aborted) {
      await stopLab(state.name);
      throw new CancelledError(
        `lab_up was cancelled; the ${state.nodes.length} nodes it had started were stopped and lab ${state.name} removed.`,
        "Nothing is left running; call lab_up again when needed.",
      );
    }
    return {
      name: state.name,
      backend: state.backend,
      cluster: state.spec.cluster,
      dryRun: false,
      dir: state.dir,
      nodes: state.nodes.map((n) => ({ address: formatAddress(n), zone: n.zone })),
      elapsedMs: Date.now() - started,
    };
  },
});
