import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { listLabs } from "../../src/lab/index.js";
import { formatAddress } from "../../src/redis/address.js";
import { table } from "../../src/registry/table.js";

export const labList = defineTool({
  name: "lab_list",
  title: "List labs",
  description:
    "List the labs started with lab_up on this machine: name, backend, node count, zones, cluster mode, " +
    "start time and node addresses. Reads saved state only (use lab_status to see which nodes are running).",
  toolset: "lab",
  input: z.object({}),
  output: z.object({
    labs: z.array(
      z.object({
        name: z.string(),
        backend: z.enum(["local", "docker"]),
        cluster: z.boolean(),
        zones: z.number(),
        createdAt: z.string(),
        nodes: z.array(z.object({ address: z.string(), zone: z.string() })),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: (o) =>
    o.labs.length === 0 ? "No labs." : o.labs.map((l) => `${l.name}: ${l.nodes.length} nodes, ${l.zones} zone(s), ${l.backend}`).join("\n"),
  cli: {
    aliases: ["ls"],
    render(o) {
      if (o.labs.length === 0) return "No labs. Start one with 'redis-pilot lab up'.";
      const rows = o.labs.map((l) => [l.name, String(l.nodes.length), String(l.zones), l.cluster ? "yes" : "no", l.backend, l.nodes.map((n) => `${n.address}(${n.zone})`).join(" ")]);
      return table(["NAME", "NODES", "ZONES", "CLUSTER", "BACKEND", "ADDRESSES"], rows);
    },
  },
  async handler() {
    const labs = await listLabs();
    return {
      labs: labs.map((l) => ({
        name: l.name,
        backend: l.backend,
        cluster: l.spec.cluster,
        zones: l.spec.zones,
        createdAt: l.createdAt,
        nodes: l.nodes.map((n) => ({ address: formatAddress(n), zone: n.zone })),
      })),
    };
  },
});
