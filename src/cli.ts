/** redis-pilot's entry, every verb: the bundle bin/redis-pilot.cjs runs (see src/cli/main.ts). */
import { runCli } from "./cli/main.js";

void runCli(
  process.argv,
  {
    mcp: () => import("./cli/mcp.js"),
    agent: () => import("./cli/agent.js"),
    demo: () => import("./cli/demo.js"),
    runbook: () => import("./cli/runbook.js"),
  },
  () => import("./cli/tools.js"),
  // One tool verb loads only its tool's file (tools/NOUN/NOUN-VERB.ts): not the zod schemas of all the others.
  (noun, verb) => import(`../tools/${noun}/${noun}-${verb}.js`),
);
