/**
 * The embedded demo (`npm start`): the agent with the built-in planner creates a
 * 6-node cluster with 3 masters on the local lab, the demo then shows a cluster_check
 * of the result and tears the lab down (confirmed, since the demo made it).
 */
import { performance } from "node:perf_hooks";
import { invokeTool } from "../registry/invoke.js";
import { allTools } from "../../tools/index.js";
import { findTool } from "../registry/filters.js";
import type { AnyTool } from "../registry/tool.js";
import { stepRecord, type StepRecord } from "./loop.js";
import { liveOutput, renderOutcome, renderStep } from "./render.js";
import { quietContext, runAgent } from "./run.js";
import { Transcript } from "./transcript.js";

export const DEMO_REQUEST = "Create a 6-node Redis Cluster with 3 masters";

export interface DemoOptions {
  write: (text: string) => void;
  /** Leave the lab running at the end. */
  keep?: boolean;
}

/** Runs one tool outside the planner (the demo's own check and teardown) as a numbered step. */
async function demoStep(n: number, t: AnyTool, args: Record<string, unknown>, transcript: Transcript, t0: number): Promise<StepRecord> {
  const startMs = Date.now() - t0;
  const step = stepRecord({ n, tool: t.name, args, startMs }, await invokeTool(t, args, { ctx: quietContext() }));
  await transcript.write("demo_call", { ...step });
  return step;
}

/** Returns the exit code: 0 when the cluster was created, verified, checked and removed. */
export async function runDemo(opts: DemoOptions): Promise<number> {
  const { write } = opts;
  write(`redis-pilot demo: the agent (built-in planner, no network) on the local lab.\nRequest: "${DEMO_REQUEST}"\n`);
  const t0 = Date.now();
  const run = await runAgent({
    request: DEMO_REQUEST,
    planner: "builtin",
    config: { targets: {} },
    keep: opts.keep,
    onEvent: liveOutput(write),
  });
  write(renderOutcome(run) + "\n");
  if (run.outcome === "verified") write(`Cluster verified ${(performance.now() / 1000).toFixed(2)} s after the command started.\n`);
  const transcript = new Transcript(run.transcriptPath);
  let ok = run.outcome === "verified";
  let n = run.steps.length;
  for (const lab of run.labsStarted) {
    if (ok) {
      const replicas = run.steps.find((s) => s.tool === "cluster_create")?.args.replicas;
      const check = await demoStep(++n, findTool(allTools, "cluster_check")!, { lab, replicasPerMaster: replicas }, transcript, t0);
      write(renderStep(check) + "\n");
      ok = check.verification?.ok === true;
    }
    if (opts.keep) {
      write(`Lab ${lab} keeps running; stop it with: redis-pilot lab down ${lab} --yes\n`);
      continue;
    }
    const down = await demoStep(++n, allTools.find((t) => t.labEffect === "removes")!, { name: lab, confirm: true }, transcript, t0);
    write(renderStep(down) + "\n");
    ok &&= down.ok;
  }
  write(`Transcript: ${run.transcriptPath}\n`);
  return ok ? 0 : 1;
}
