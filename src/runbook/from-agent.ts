/**
 * `agent ... --save-runbook FILE`: what the agent did, as a runbook that does it again.
 * Each call that succeeded becomes a step with the same arguments; the labs it started
 * become `vars` (so `--var lab=other` replays it in a fresh lab); destructive calls carry
 * confirm: true (the user confirmed them when the agent ran, and the saved file is for
 * review); verifications become expectations; secrets become `${{ env.* }}` references.
 * A dry run's plan is saved as the calls it planned, without dryRun, to review and run.
 * Pure: the run's records in, YAML text out.
 */
import { Document } from "yaml";
import type { StepRecord } from "../agent/loop.js";
import type { AnyTool } from "../registry/tool.js";
import { fieldsOf, toolSchemas } from "./json-type.js";

export interface AgentRunRecord {
  request: string;
  planner: string;
  outcome: string;
  dryRun: boolean;
  steps: StepRecord[];
}

const SECRET_KEY = /pass(?:word)?|secret|token|auth|api[-_]?key|credential/i;
export const SAVED_PASSWORD_ENV = "REDIS_PILOT_LAB_PASSWORD";

function stepId(tool: string, used: Set<string>): string {
  const base = tool.replace(/_/g, "-");
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

/** Replaces lab names with ${{ vars.X }} and secrets with ${{ env.X }}, anywhere in args. */
function parameterize(value: unknown, labs: Map<string, string>, key = ""): unknown {
  if (typeof value === "string") {
    if (SECRET_KEY.test(key)) return `\${{ env.${SAVED_PASSWORD_ENV} }}`;
    const v = labs.get(value);
    return v ? `\${{ vars.${v} }}` : value;
  }
  if (Array.isArray(value)) return value.map((x) => parameterize(x, labs));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, parameterize(x, labs, k)]));
  return value;
}

export function runbookFromAgentRun(run: AgentRunRecord, tools: readonly AnyTool[]): string {
  // Calls that happened (or, in a dry run, were planned): not failed ones, not unknown tools.
  const kept = run.steps.filter((s) => s.ok && tools.some((t) => t.name === s.tool));
  const dropped = run.steps.length - kept.length;
  const labs = new Map<string, string>();
  for (const s of kept) {
    if (s.tool === "lab_up" && typeof s.args.name === "string" && !labs.has(s.args.name)) labs.set(s.args.name, labs.size ? `lab${labs.size + 1}` : "lab");
  }
  const used = new Set<string>();
  let secrets = false;
  const steps = kept.map((s) => {
    const tool = tools.find((t) => t.name === s.tool)!;
    const { confirm: _c, ...rest } = s.args;
    if (run.dryRun && !tool.annotations.readOnlyHint) delete rest.dryRun;
    if (Object.keys(rest).some((k) => SECRET_KEY.test(k))) secrets = true;
    const args = parameterize(rest, labs) as Record<string, unknown>;
    const out = toolSchemas(tool).output;
    const step: Record<string, unknown> = { id: stepId(s.tool, used), tool: s.tool };
    if (Object.keys(args).length) step.with = args;
    if (tool.annotations.destructiveHint) step.confirm = true;
    // A verification the agent relied on is an expectation here.
    const verifies = fieldsOf(out).includes("ok") && fieldsOf(out).includes("findings");
    if (s.verification || (run.dryRun && verifies)) {
      const expect: Record<string, unknown>[] = [{ path: "ok", equals: true }];
      if (fieldsOf(out).includes("findings")) expect.push({ "no-findings": "error" });
      step.expect = expect;
    }
    return step;
  });
  const doc = new Document({
    name: run.request.length > 80 ? `${run.request.slice(0, 77)}...` : run.request,
    description: `Saved from redis-pilot agent (${run.planner} planner, outcome ${run.outcome}${run.dryRun ? ", a dry run: these are the calls it planned" : ""}).`,
    ...(labs.size ? { vars: Object.fromEntries([...labs].map(([name, v]) => [v, name])) } : {}),
    steps,
  });
  const notes = [
    " Saved by `redis-pilot agent --save-runbook`. Review it, then run it:",
    "   redis-pilot runbook run FILE" + (labs.size ? " --var lab=<a new lab name>" : ""),
    " Editors validate it with the schema from `redis-pilot runbook schema --out runbook.schema.json`.",
  ];
  if (secrets) notes.push(` Secrets are read from the environment: export ${SAVED_PASSWORD_ENV} before running.`);
  if (dropped) notes.push(` ${dropped} call(s) that failed or did not run are left out.`);
  if (labs.size) notes.push(" The labs it starts are left running, as the agent left them; stop them with lab_down.");
  doc.commentBefore = notes.join("\n");
  return doc.toString({ lineWidth: 0 });
}
