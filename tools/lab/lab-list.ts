import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { listLabEntries } from "../../src/lab/index.js";
import { formatAddress } from "../../src/redis/address.js";
import { table } from "../../src/registry/table.js";

export const labList = defineTool({
  name: "lab_list",
  title: "List labs",
  description:
    "List the labs started with lab_up on this machine: name, backend, node count, zones, cluster mode, " +
    "start time and node addresses. Reads saved state only (use lab_status to see which nodes are running). " +
    "A lab whose state file is broken is listed under broken with one sentence; lab_down with force: true removes it.",
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
    broken: z.array(z.object({ name: z.string(), error: z.string() })).describe("Labs whose state file cannot be used."),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: (o) =>
    [
      ...(o.labs.length === 0 && o.broken.length === 0 ? ["No labs."] : o.labs.map((l) => `${l.name}: ${l.nodes.length} nodes, ${l.zones} zone(s), ${l.backend}`)),
      ...o.broken.map((b) => `${b.name}: broken. ${b.error}`),
    ].join("\n"),
  cli: {
    aliases: ["ls"],
    render(o) {
      const broken = o.broken.map((b) => `${b.name}: broken. ${b.error}`);
      if (o.labs.length === 0) return [broken.length ? "No usable labs." : "No labs. Start one with 'redis-pilot lab up'.", ...broken].join("\n");
      const rows = o.labs.map((l) => [l.name, String(l.nodes.length), String(l.zones), l.cluster ? "yes" : "no", l.backend, l.nodes.map((n) => `${n.address}(${n.zone})`).join(" ")]);
      return [table(["NAME", "NODES", "ZONES", "CLUSTER", "BACKEND", "ADDRESSES"], rows), ...broken].join("\n");
    },
  },
  async handler() {
    const entries = await listLabEntries();
    const labs = entries.flatMap((e) => ("state" in e ? [e.state] : []));
    return {
      broken: entries.flatMap((e) => ("error" in e ? [{ name: e.name, error: `${e.error.message} ${e.error.next}` }] : [])),
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
