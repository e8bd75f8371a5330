/**
 * The shape every node-fault tool shares (lab_kill, lab_stop, lab_start, lab_restart,
 * lab_pause, lab_unpause): input `node` (HOST:PORT or index) and `lab`, a dry run that
 * checks without acting, the node as it is afterwards. Each tool file names its action,
 * title, description and annotations; the rest is stated once here.
 */
import { z } from "zod";
import { confirmField, dryRunField } from "../../registry/fields.js";
import { defineTool, type ToolAnnotations } from "../../registry/tool.js";
import { resolveLabName } from "../index.js";
import { labFault, planFault, type NodeAction } from "./index.js";

export const faultNodeSchema = z.object({
  index: z.number().describe("0-based node index in the lab."),
  address: z.string(),
  zone: z.string(),
  fault: z.enum(["killed", "stopped", "paused"]).optional().describe("The fault holding after the call; absent when the node runs."),
  pid: z.number().optional(),
  containerId: z.string().optional(),
});

/** Zone pairs cut apart, as lab_partition and lab_heal report them. */
export const cutsSchema = z.array(z.tuple([z.string(), z.string()])).describe('Zone pairs cut apart, e.g. [["z1","z2"],["z1","z3"]].');

const PAST: Record<NodeAction, string> = { kill: "Killed", stop: "Stopped", start: "Started", restart: "Restarted", pause: "Paused", unpause: "Unpaused" };
const FUTURE: Record<NodeAction, string> = { kill: "Would kill", stop: "Would stop", start: "Would start", restart: "Would restart", pause: "Would pause", unpause: "Would unpause" };

export interface NodeFaultToolSpec {
  action: NodeAction;
  title: string;
  description: string;
  annotations: ToolAnnotations;
}

export function nodeFaultTool(spec: NodeFaultToolSpec) {
  return defineTool({
    name: `lab_${spec.action}`,
    title: spec.title,
    description: spec.description,
    toolset: "lab",
    input: z.object({
      node: z.string().describe("The lab node: HOST:PORT, its 0-based index, or a sentinel as s0, s1, ..."),
      lab: z.string().optional().describe("Lab name; default: the only lab there is."),
      ...dryRunField,
      ...(spec.annotations.destructiveHint ? confirmField : {}),
    }),
    output: z.object({
      lab: z.string(),
      action: z.literal(spec.action),
      dryRun: z.boolean(),
      node: faultNodeSchema,
      elapsedMs: z.number().optional(),
    }),
    annotations: spec.annotations,
    summarize: (o) =>
      `${o.dryRun ? FUTURE[spec.action] : PAST[spec.action]} node ${o.node.address} (zone ${o.node.zone}) of lab ${o.lab}` +
      (o.elapsedMs !== undefined ? ` in ${o.elapsedMs} ms.` : "."),
    cli: { args: ["node"] },
    async handler(input) {
      const lab = await resolveLabName(input.lab);
      if (input.dryRun) return { lab, action: spec.action, dryRun: true, node: await planFault(lab, input.node, spec.action) };
      const done = await labFault(lab, input.node, spec.action);
      return { lab, action: spec.action, dryRun: false, node: done.node, elapsedMs: done.elapsedMs };
    },
  });
}
