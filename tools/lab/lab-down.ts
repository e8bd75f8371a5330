import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { confirmField, dryRunField } from "../../src/registry/fields.js";
import { labDown as stopLab, loadLab, resolveLabName } from "../../src/lab/index.js";
import { LabNotFoundError, LabStateBrokenError } from "../../src/errors.js";
import { formatAddress } from "../../src/redis/address.js";

const nodeSchema = z.object({
  address: z.string(),
  zone: z.string().optional(),
  pid: z.number().optional(),
  outcome: z.enum(["stopped", "not_running", "not_stopped"]).optional().describe("Absent in a dry run."),
  detail: z.string().optional(),
});

export const labDown = defineTool({
  name: "lab_down",
  title: "Stop a lab",
  description:
    "Stop every node of a lab (each redis-server by its own pid) and delete the lab's data dir and state. " +
    "All data in the lab is lost. Use when done with a lab, or to free its name. Call with dryRun first to " +
    "see which nodes would be stopped. Only lab processes are touched, never other servers. Reports each node " +
    "as stopped, not running, or not stopped; when any is not stopped the lab's state is kept (ok: false). " +
    "force: true removes the lab even then, and is the way to remove a lab whose state file is broken.",
  toolset: "lab",
  input: z.object({
    name: z.string().optional().describe("Lab name; default: the only lab there is."),
    force: z.boolean().optional().describe("Remove the lab's state even if a node could not be stopped, or its state file is broken (whatever of it can still be identified is stopped first)."),
    ...dryRunField,
    ...confirmField,
  }),
  output: z.object({
    name: z.string(),
    dryRun: z.boolean(),
    ok: z.boolean().describe("Every node is down and the lab is removed."),
    dir: z.string().optional(),
    nodes: z.array(nodeSchema),
    stateRemoved: z.boolean(),
    dirRemoved: z.boolean(),
    notes: z.array(z.string()),
  }),
  labEffect: "removes",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  summarize: (o) => {
    if (o.dryRun) return `Would stop lab ${o.name}: ${o.nodes.length} nodes (${o.nodes.map((n) => n.address).join(", ")})${o.dir ? ` and delete ${o.dir}` : ""}.${o.notes.length ? ` ${o.notes.join(" ")}` : ""}`;
    const count = (k: string) => o.nodes.filter((n) => n.outcome === k).length;
    const failed = o.nodes.filter((n) => n.outcome === "not_stopped");
    const head = failed.length
      ? `Lab ${o.name}: ${failed.length} of ${o.nodes.length} nodes NOT stopped (${failed.map((n) => `${n.address}: ${n.detail}`).join("; ")}); ${count("stopped")} stopped, ${count("not_running")} were not running.`
      : `Stopped lab ${o.name}: ${count("stopped")} nodes stopped${count("not_running") ? `, ${count("not_running")} were not running` : ""}.`;
    const tail = o.stateRemoved ? (o.dirRemoved ? ` Deleted ${o.dir ?? "its data dir"} and its state.` : " Removed its state.") : " Its state is kept so it can be stopped later: fix what is named, then run lab down again (or with force).";
    return `${head}${tail}${o.notes.length ? ` ${o.notes.join(" ")}` : ""}`;
  },
  cli: { args: ["name"], exitCode: (o) => (o.ok || o.dryRun ? 0 : 1) },
  async handler(input) {
    const name = await resolveLabName(input.name);
    let state;
    try {
      state = await loadLab(name);
    } catch (err) {
      // A broken state file: only force removes it (stopping what can be identified).
      if (!(err instanceof LabStateBrokenError) || !input.force) throw err;
    }
    const recorded = state?.nodes.map((n) => ({ address: formatAddress(n), zone: n.zone, pid: n.pid })) ?? [];
    if (input.dryRun) {
      const notes = state ? [] : [`Its state file is broken: force would stop whatever of it can still be identified and remove it.`];
      return { name, dryRun: true, ok: true, ...(state ? { dir: state.dir } : {}), nodes: recorded, stateRemoved: false, dirRemoved: false, notes };
    }
    if (!state && !input.force) throw new LabNotFoundError(name);
    const r = await stopLab(name, { force: input.force });
    const zoneOf = new Map(recorded.map((n) => [n.address, n.zone]));
    const notes = [r.brokenState ? `Its state file was broken (${r.brokenState.replace(/^The state file of lab '[^']*' /, "")})` : "", r.dirNote ? `${r.dirNote}.` : ""].filter(Boolean);
    return {
      name,
      dryRun: false,
      ok: r.stateRemoved && r.nodes.every((n) => n.outcome !== "not_stopped"),
      ...(state ? { dir: state.dir } : {}),
      nodes: r.nodes.map((n) => ({ address: n.address, zone: zoneOf.get(n.address), pid: n.pid, outcome: n.outcome, detail: n.detail })),
      stateRemoved: r.stateRemoved,
      dirRemoved: r.dirRemoved,
      notes,
    };
  },
});
