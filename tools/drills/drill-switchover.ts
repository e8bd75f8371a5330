import { z } from "zod";
import { switchoverScenario } from "../../src/drills/scenarios/switchover.js";
import { drillInputFields, drillToolShape, runDrillTool } from "../../src/drills/tool-shape.js";
import { defineTool } from "../../src/registry/tool.js";

const PLAN = [
  "start an active-passive lab per run (1 master + 1 replica, 3 sentinels, down-after 1000 ms)",
  "write through ioredis's Sentinel client (sentinel_client_settings: failoverDetector, READONLY reconnect), each write a fresh key",
  "switch over to the replica (replication_switchover: FAILOVER TO, sentinels re-monitored) while writing",
  "read every key back from the new master; report acknowledged writes lost and the longest write gap",
  "stop the lab",
];

export const drillSwitchover = defineTool({
  name: "drill_switchover",
  title: "Drill: planned switchover under writes",
  description:
    "Measures a planned switchover (replication_switchover) under a live write load through the Sentinel client, on a fresh active-passive lab per run: " +
    "acknowledged writes lost (should be 0), unknown outcomes, and the unavailability window (longest gap between successful writes). Starts and stops " +
    "its own labs; touches nothing else. Optionally writes the history (JSON) and an SVG timeline.",
  ...drillToolShape,
  input: z.object(drillInputFields),
  async handler(input, ctx) {
    return runDrillTool("switchover", PLAN, () => [switchoverScenario()], input, ctx);
  },
});
