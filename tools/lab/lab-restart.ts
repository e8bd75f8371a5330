import { nodeFaultTool } from "../../src/lab/faults/tool-shape.js";

export const labRestart = nodeFaultTool({
  action: "restart",
  title: "Restart a lab node",
  description:
    "Stop a lab node cleanly and start it again (a paused node is unpaused first, a stopped one only started). " +
    "Lab nodes keep no RDB or AOF, so it comes back empty: a master restarted before its replicas take over " +
    "loses its keys. Use it to drill a rolling restart. Labs only.",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
});
