import { nodeFaultTool } from "../../src/lab/faults/tool-shape.js";

export const labKill = nodeFaultTool({
  action: "kill",
  title: "Kill a lab node (kill -9)",
  description:
    "Kill one lab node with SIGKILL, as in a crash: no shutdown, nothing flushed; lab nodes keep no RDB or AOF, " +
    "so its data is gone and a cluster or Sentinel fails over after its timeout. Local labs signal the process " +
    "by its pid, docker labs the node's container. Undo with lab_start; lab_down also cleans up. Labs only.",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
});
