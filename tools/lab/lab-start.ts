import { nodeFaultTool } from "../../src/lab/faults/tool-shape.js";

export const labStart = nodeFaultTool({
  action: "start",
  title: "Start a stopped lab node",
  description:
    "Start a lab node that lab_kill or lab_stop took down, with its own config, port and nodes.conf, and wait " +
    "until it answers. A cluster node rejoins as itself (as a replica if it was failed over). Labs only.",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
});
