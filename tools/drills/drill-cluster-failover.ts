import { z } from "zod";
import { clusterFailoverUnderLoad } from "../../src/drills/scenarios/cluster-failover.js";
import { drillInputFields, drillToolShape, runDrillTool } from "../../src/drills/tool-shape.js";
import { defineTool } from "../../src/registry/tool.js";

const plan = (runs: number) => [
  `start a fresh 3-master, 3-replica lab over 2 zones (node-timeout 5000) for each of ${runs} run(s)`,
  "run writers and a reader on an ioredis Cluster client",
  "promote one master's replica with a coordinated cluster failover (measured: ms until it accepts writes, until every node agrees)",
  "read every written key back; the checker counts lost acknowledged writes (0 wanted) and the longest write stall in ms",
];

export const drillClusterFailover = defineTool({
  name: "drill_cluster_failover",
  title: "Drill: planned cluster failover under load",
  description:
    "Measures a planned Redis Cluster failover as clients see it: on fresh 3+3 labs, ioredis Cluster writers and a " +
    "reader run while cluster_failover promotes a replica (coordinated, so no acknowledged write may be lost). Reports " +
    "lost, failed and unknown writes and the unavailability window in ms per run, with the failover's own timings as " +
    "events. history and svg save the history and its timeline. Starts and stops its own labs.",
  ...drillToolShape,
  input: z.object({ ...drillInputFields }),
  runsLong: true,
  async handler(input, ctx) {
    return runDrillTool("cluster-failover", plan(input.runs), () => [clusterFailoverUnderLoad()], input, ctx);
  },
});
