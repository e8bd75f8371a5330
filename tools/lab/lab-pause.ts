import { nodeFaultTool } from "../../src/lab/faults/tool-shape.js";

export const labPause = nodeFaultTool({
  action: "pause",
  title: "Freeze a lab node",
  description:
    "Freeze one lab node (SIGSTOP for a process, docker pause for a container): the kernel still accepts TCP " +
    "connections to it, but Redis answers nothing, like a frozen VM or a process stuck in a long stall. " +
    "Peers mark it failed after cluster-node-timeout or down-after-milliseconds. Undo with lab_unpause. Labs only.",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
});
