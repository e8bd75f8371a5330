import { nodeFaultTool } from "../../src/lab/faults/tool-shape.js";

export const labUnpause = nodeFaultTool({
  action: "unpause",
  title: "Unfreeze a lab node",
  description:
    "Let a node frozen by lab_pause run again. It answers at once; a cluster master that was failed over " +
    "meanwhile learns it and turns into a replica of its successor. Labs only.",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
});
