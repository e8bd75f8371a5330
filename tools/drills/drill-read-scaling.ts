import { z } from "zod";
import { readScalingScenario } from "../../src/drills/scenarios/read-scaling.js";
import { drillInputFields, drillToolShape, runDrillTool } from "../../src/drills/tool-shape.js";
import { defineTool } from "../../src/registry/tool.js";

const PLAN = [
  "start a read-replicas lab per run (1 master + 2 replicas)",
  "write to the master; read the newest acknowledged key from each replica and from the master",
  "report the share of reads the replicas served and the stale reads they returned (how far behind)",
  "stop the lab",
];

export const drillReadScaling = defineTool({
  name: "drill_read_scaling",
  title: "Drill: read scaling on replicas",
  description:
    "Measures reading from replicas under a live write load on a fresh read-replicas lab per run: the share of reads served by replicas and the staleness " +
    "they show (reads that missed a write acknowledged before they began, and by how many ms). Starts and stops its own labs; touches nothing else.",
  ...drillToolShape,
  input: z.object(drillInputFields),
  async handler(input, ctx) {
    return runDrillTool("read_scaling", PLAN, () => [readScalingScenario()], input, ctx);
  },
});
