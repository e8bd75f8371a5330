import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { confirmField, dryRunField } from "../../src/registry/fields.js";
import { labDown as stopLab, loadLab, resolveLabName } from "../../src/lab/index.js";
import { LabNotFoundError } from "../../src/errors.js";
import { formatAddress } from "../../src/redis/address.js";

export const labDown = defineTool({
  name: "lab_down",
  title: "Stop a lab",
  description:
    "Stop every node of a lab (each redis-server by its own pid) and delete the lab's data dir and state. " +
    "All data in the lab is lost. Use when done with a lab, or to free its name. Call with dryRun first to " +
    "see which nodes would be stopped. Only lab processes are touched, never other servers.",
  toolset: "lab",
  input: z.object({
    name: z.string().optional().describe("Lab name; default: the only lab there is."),
    ...dryRunField,
    ...confirmField,
  }),
  output: z.object({
    name: z.string(),
    dryRun: z.boolean(),
    dir: z.string(),
    nodes: z.array(z.object({ address: z.string(), zone: z.string(), pid: z.number().optional() })),
  }),
  labEffect: "removes",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  summarize: (o) =>
    `${o.dryRun ? "Would stop" : "Stopped"} lab ${o.name}: ${o.nodes.length} nodes (${o.nodes.map((n) => n.address).join(", ")}) ` +
    `and ${o.dryRun ? "delete" : "deleted"} ${o.dir}.`,
  cli: { args: ["name"] },
  async handler(input) {
    const name = await resolveLabName(input.name);
    const state = await loadLab(name);
    if (!state) throw new LabNotFoundError(name);
    if (!input.dryRun) await stopLab(name);
    return {
      name,
      dryRun: input.dryRun ?? false,
      dir: state.dir,
      nodes: state.nodes.map((n) => ({ address: formatAddress(n), zone: n.zone, pid: n.pid })),
    };
  },
});
