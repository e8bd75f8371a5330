import { z } from "zod";
import { killAndFix } from "../../src/drills/scenarios/kill-and-fix.js";
import { drillInputFields, drillToolShape, runDrillTool } from "../../src/drills/tool-shape.js";
import { defineTool } from "../../src/registry/tool.js";

const plan = (slots: number, runs: number) => [
  `start a fresh 3-master lab with 5000 preloaded keys for each of ${runs} run(s), writers and a reader running`,
  `start "redis-pilot cluster reshard --from all" of ${slots} slots as its own process; once it moves slots, kill -9 it after a random delay`,
  "run cluster fix (it reads the killed run's journal), then check: redis-cli --cluster check passes and every preloaded key has its value",
  "the checker adds lost acknowledged writes (0 wanted); a run whose check fails reports why",
];

export const drillKillFix = defineTool({
  name: "drill_kill_fix",
  title: "Drill: kill a migration, then fix",
  description:
    "Proves a killed migration is recoverable: on fresh labs, `redis-pilot cluster reshard` runs as its own process and is " +
    "killed with SIGKILL at a random point of the move (recorded per run), then cluster_fix settles what it left, under " +
    "write load. Each run checks redis-cli --cluster check and every preloaded key's value; the summary gives lost " +
    "acknowledged writes and the runs whose check failed. history and svg save the history and its timeline.",
  ...drillToolShape,
  input: z.object({
    ...drillInputFields,
    runs: z.number().int().min(1).max(100).default(20).describe("How many kills (each on a fresh lab, at a different point)."),
    slots: z.number().int().min(16).max(16383).default(8192).describe("Slots the killed reshard sets out to move."),
  }),
  runsLong: true,
  async handler(input, ctx) {
    return runDrillTool("kill-fix", plan(input.slots, input.runs), () => [killAndFix({ slots: input.slots })], input, ctx);
  },
});
