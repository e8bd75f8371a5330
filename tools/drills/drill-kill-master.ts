import { z } from "zod";
import { killMasterScenario, PROTECTIONS } from "../../src/drills/scenarios/kill-master.js";
import { drillInputFields, drillToolShape, runDrillTool } from "../../src/drills/tool-shape.js";
import { defineTool } from "../../src/registry/tool.js";

const PLAN = [
  "start a sentinel-3 lab per run (1 master + 2 replicas, 3 sentinels in 3 zones, down-after 1000 ms)",
  "write through ioredis's Sentinel client, in each protection: none; min-replicas-to-write 1 + min-replicas-max-lag 10; WAIT 1 100 after every write",
  "kill -9 the master while writing; wait until the sentinels promote a replica",
  "read every key back from the new master; report acknowledged writes lost, unknown outcomes and the unavailability window",
  "stop the lab",
];

export const drillKillMaster = defineTool({
  name: "drill_kill_master",
  title: "Drill: kill -9 of the master",
  description:
    "Measures what a crash of the master costs (kill -9, Sentinel failover with down-after 1000 ms) under a live write load through the Sentinel client, " +
    "on a fresh sentinel-3 lab per run, without protection, with min-replicas-to-write 1, and with WAIT 1 after each write: acknowledged writes lost, " +
    "unknown outcomes, unavailability. Starts and stops its own labs; touches nothing else.",
  ...drillToolShape,
  input: z.object({ ...drillInputFields, protection: z.enum(["all", ...PROTECTIONS]).default("all").describe("Which setting to measure.") }),
  async handler(input, ctx) {
    const chosen = input.protection === "all" ? PROTECTIONS : [input.protection];
    return runDrillTool("kill_master", PLAN, () => chosen.map((p) => killMasterScenario(p)), input, ctx);
  },
});
