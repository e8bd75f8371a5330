import { nodeFaultTool } from "../../src/lab/faults/tool-shape.js";

export const labStop = nodeFaultTool({
  action: "stop",
  title: "Stop a lab node",
  description:
    "Stop one lab node cleanly (SIGTERM, SIGKILL after 5 s), as in a maintenance stop. Lab nodes keep no RDB or AOF, " +
    "so it comes back empty; a cluster node keeps its nodes.conf and rejoins as itself. Undo with lab_start. Labs only.",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
});
