import { z } from "zod";
import { reshardUnderLoad } from "../../src/drills/scenarios/reshard-under-load.js";
import { drillInputFields, drillToolShape, runDrillTool } from "../../src/drills/tool-shape.js";
import { defineTool } from "../../src/registry/tool.js";

const plan = (slots: number, runs: number) => [
  `start a fresh 3-master lab (node-timeout 5000) for each of ${runs} run(s)`,
  "run writers (fresh keys) and a reader (the latest acknowledged key) on an ioredis Cluster client",
  `reshard ${slots} slots from the first master to the second, then rebalance back to even, while they run`,
  "read every written key back; the checker counts lost acknowledged writes (0 wanted) and client errors (0 wanted: redirects never reach the client)",
];

export const drillReshard = defineTool({
  name: "drill_reshard",
  title: "Drill: reshard and rebalance under load",
  description:
    "Measures what clients see while slots move: on fresh 3-master labs, ioredis Cluster writers and a reader run while " +
    "cluster_reshard moves `slots` slots and cluster_rebalance evens them out again. Reports, per run and summarized: " +
    "acknowledged writes lost, failed and unknown operations, stale reads, the longest write stall, and the moves' " +
    "own numbers as events. history and svg save the operation history and its timeline. Starts and stops its own labs.",
  ...drillToolShape,
  input: z.object({
    ...drillInputFields,
    slots: z.number().int().min(1).max(16383).default(4096).describe("Slots moved before the rebalance."),
  }),
  runsLong: true,
  async handler(input, ctx) {
    return runDrillTool("reshard", plan(input.slots, input.runs), () => [reshardUnderLoad({ slots: input.slots })], input, ctx);
  },
});
