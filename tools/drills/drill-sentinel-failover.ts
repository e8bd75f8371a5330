import { z } from "zod";
import { sentinelFailoverScenario } from "../../src/drills/scenarios/sentinel-failover.js";
import { drillInputFields, drillToolShape, runDrillTool } from "../../src/drills/tool-shape.js";
import { defineTool } from "../../src/registry/tool.js";

const PLAN = [
  "start an active-passive lab per run (1 master + 1 replica, 3 sentinels, down-after 1000 ms)",
  "write through ioredis's Sentinel client, once with failoverDetector (reconnect on +switch-master) and once without",
  "SENTINEL FAILOVER while writing; wait until every sentinel agrees and the old master is a replica",
  "read every key back from the new master; report lost, unknown and the longest write gap for each client setting",
  "stop the lab",
];

export const drillSentinelFailover = defineTool({
  name: "drill_sentinel_failover",
  title: "Drill: SENTINEL FAILOVER under writes",
  description:
    "Measures a forced Sentinel failover (SENTINEL FAILOVER) under a live write load, with and without the client's failoverDetector, on a fresh " +
    "active-passive lab per run: acknowledged writes lost, unknown outcomes, unavailability (longest write gap), i.e. the client's reconnection time. " +
    "Starts and stops its own labs; touches nothing else.",
  ...drillToolShape,
  input: z.object({ ...drillInputFields, failoverDetector: z.enum(["both", "on", "off"]).default("both").describe("Client settings to measure.") }),
  async handler(input, ctx) {
    const modes = input.failoverDetector === "both" ? [true, false] : [input.failoverDetector === "on"];
    return runDrillTool("sentinel_failover", PLAN, () => modes.map((fd) => sentinelFailoverScenario(fd)), input, ctx);
  },
});
