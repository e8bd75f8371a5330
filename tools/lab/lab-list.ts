import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { backendFor, listLabEntries } from "../../src/lab/index.js";
import type { LabState } from "../../src/lab/types.js";
import { errorMessage } from "../../src/errors.js";
import { toolRef } from "../../src/registry/words.js";
import { formatAddress } from "../../src/redis/address.js";
import { table } from "../../src/registry/table.js";

/** How many of a lab's processes run and answer (its backend's status: pid and PING). */
async function aliveOf(l: LabState): Promise<{ processes: number; alive?: number; aliveError?: string }> {
  const processes = l.nodes.length + (l.sentinels?.length ?? 0);
  try {
    return { processes, alive: (await backendFor(l.backend).status(l)).filter((n) => n.running).length };
  } catch (err) {
    return { processes, aliveError: errorMessage(err) };
  }
}

const aliveText = (l: { processes: number; alive?: number }) => (l.alive === undefined ? "unknown" : `${l.alive}/${l.processes}${l.alive < l.processes ? ` (see ${toolRef("lab_status")})` : ""}`);

export const labList = defineTool({
  name: "lab_list",
  title: "List labs",
  description:
    "List the labs started with lab_up on this machine: name, backend, node count, zones, cluster mode, " +
    "start time, node addresses, and how many of each lab's processes are alive (use lab_status for each node's role and keys). " +
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
        sentinels: z.array(z.object({ address: z.string(), zone: z.string() })).optional().describe("The lab's redis-sentinel processes, when it runs any."),
        processes: z.number().int().describe("The lab's redis-server processes (nodes and sentinels)."),
        alive: z.number().int().optional().describe("How many of them run and answer; absent when they could not be checked (see aliveError)."),
        aliveError: z.string().optional(),
      }),
    ),
    broken: z.array(z.object({ name: z.string(), error: z.string() })).describe("Labs whose state file cannot be used."),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: (o) =>
    [
      ...(o.labs.length === 0 && o.broken.length === 0 ? ["No labs."] : o.labs.map((l) => `${l.name}: ${l.nodes.length} nodes, ${l.zones} zone(s), ${l.backend}, ${aliveText(l)}`)),
      ...o.broken.map((b) => `${b.name}: broken. ${b.error}`),
    ].join("\n"),
  cli: {
    aliases: ["ls"],
    render(o) {
      const broken = o.broken.map((b) => `${b.name}: broken. ${b.error}`);
      if (o.labs.length === 0) return [broken.length ? "No usable labs." : "No labs. Start one with 'redis-pilot lab up'.", ...broken].join("\n");
      const rows = o.labs.map((l) => [l.name, String(l.nodes.length), String(l.zones), l.cluster ? "yes" : "no", l.backend, aliveText(l), [...l.nodes.map((n) => `${n.address}(${n.zone})`), ...(l.sentinels ?? []).map((n) => `${n.address}(${n.zone},sentinel)`)].join(" ")]);
      return [table(["NAME", "NODES", "ZONES", "CLUSTER", "BACKEND", "ALIVE", "ADDRESSES"], rows), ...broken].join("\n");
    },
  },
  async handler() {
    const entries = await listLabEntries();
    const labs = entries.flatMap((e) => ("state" in e ? [e.state] : []));
    return {
      broken: entries.flatMap((e) => ("error" in e ? [{ name: e.name, error: `${e.error.message} ${e.error.next}` }] : [])),
      labs: await Promise.all(
        labs.map(async (l) => ({
          name: l.name,
          backend: l.backend,
          cluster: l.spec.cluster,
          zones: l.spec.zones,
          createdAt: l.createdAt,
          nodes: l.nodes.map((n) => ({ address: formatAddress(n), zone: n.zone })),
          ...(l.sentinels?.length ? { sentinels: l.sentinels.map((n) => ({ address: formatAddress(n), zone: n.zone })) } : {}),
          ...(await aliveOf(l)),
        })),
      ),
    };
  },
});
