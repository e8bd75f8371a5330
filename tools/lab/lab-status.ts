import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { labStatus as readStatus, resolveLabName } from "../../src/lab/index.js";
import { table } from "../../src/registry/table.js";

export const labNodeStatusSchema = z.object({
  address: z.string(),
  zone: z.string(),
  running: z.boolean(),
  fault: z.enum(["killed", "stopped", "paused"]).optional().describe("A fault the lab applied (lab_kill, lab_stop, lab_pause) and has not undone."),
  role: z.enum(["master", "replica", "sentinel"]).optional(),
  clusterEnabled: z.boolean().optional(),
  keys: z.number().optional(),
  error: z.string().optional(),
});

export const labStatus = defineTool({
  name: "lab_status",
  title: "Lab status",
  description:
    "Show one lab's nodes: address, zone, whether each redis-server process is running and answering, " +
    "its role (master/replica), whether cluster mode is enabled, and its key count. Use it after lab_up, " +
    "or after a drill, to see which nodes are down. Reads only; the name may be left out when one lab exists.",
  toolset: "lab",
  input: z.object({
    name: z.string().optional().describe("Lab name; default: the only lab there is."),
  }),
  output: z.object({
    name: z.string(),
    backend: z.enum(["local", "docker"]),
    cluster: z.boolean(),
    dir: z.string(),
    createdAt: z.string(),
    running: z.number().describe("How many nodes run and answer."),
    nodes: z.array(labNodeStatusSchema),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: (o) => {
    const down = o.nodes.filter((n) => !n.running).map((n) => n.address);
    return `Lab ${o.name}: ${o.running}/${o.nodes.length} nodes running${down.length ? `; down: ${down.join(", ")}` : ""}.`;
  },
  cli: {
    args: ["name"],
    exitCode: (o) => (o.running === o.nodes.length ? 0 : 1),
    render(o) {
      const rows = o.nodes.map((n) => [
        n.address,
        n.zone,
        n.running ? "running" : "down",
        n.role ?? "-",
        n.clusterEnabled === undefined ? "-" : n.clusterEnabled ? "yes" : "no",
        n.keys === undefined ? "-" : String(n.keys),
        n.error ?? "",
      ]);
      return `Lab ${o.name} (${o.backend}): ${o.running}/${o.nodes.length} nodes running.\n${table(["ADDRESS", "ZONE", "STATE", "ROLE", "CLUSTER", "KEYS", "ERROR"], rows)}`;
    },
  },
  async handler(input) {
    const { state, nodes } = await readStatus(await resolveLabName(input.name));
    return {
      name: state.name,
      backend: state.backend,
      cluster: state.spec.cluster,
      dir: state.dir,
      createdAt: state.createdAt,
      running: nodes.filter((n) => n.running).length,
      nodes,
    };
  },
});
