/**
 * Runs a validated runbook: starts its lab when the target asks for one, runs the steps
 * through invokeTool (with retries, timeouts and progress), judges each step's
 * expectations, stops at the first failure (later steps run only if their `if:` says
 * failure() or always()), then always runs the cleanup steps and stops the lab it
 * started. A dry run changes nothing: mutating tools run with dryRun, and steps that
 * need what a dry run only plans are skipped, saying why.
 */
import { redact, secretValues } from "../agent/transcript.js";
import { redactDeep, registerSecret } from "../secrets.js";
import type { ProgressEvent } from "../ops/progress.js";
import type { InvokeResult } from "../registry/invoke.js";
import { isMutating, type AnyTool } from "../registry/tool.js";
import type { TargetResolver } from "../targets/resolver.js";
import type { FilePolicy } from "../registry/files.js";
import { checkAssertion } from "./assertions.js";
import { callsOf, hasExpression } from "./expr.js";
import { evaluate, getPath, truthy, type EvalContext } from "./expr-eval.js";
import { invokeBounded } from "./invoke-bounded.js";
import { stepTitle } from "./reports.js";
import { resolveDynamic } from "./templates.js";
import type { AssertionResult, CompiledRunbook, CompiledStep, RunReport, StepReport } from "./types.js";
import { recordingEnv } from "./validate.js";

export type RunEvent =
  | { type: "start"; runbook: CompiledRunbook; dryRun: boolean }
  | { type: "step-start"; step: CompiledStep; attempt: number }
  | { type: "progress"; step: CompiledStep; event: ProgressEvent }
  | { type: "retry"; step: CompiledStep; attempt: number; reason: string; delayMs: number }
  | { type: "step-end"; step: CompiledStep; report: StepReport };

export interface ExecuteOptions {
  /** The registry list (lab_up and lab_down start and stop a target lab). */
  tools: readonly AnyTool[];
  targets: TargetResolver;
  /** Where steps may write the files their arguments name (default: under REDIS_PILOT_HOME/files; the CLI passes anywhere). */
  files?: FilePolicy;
  /** Cancels the run; cleanup still runs. */
  signal?: AbortSignal;
  /** Cancels cleanup too (e.g. a second Ctrl-C). */
  cleanupSignal?: AbortSignal;
  dryRun?: boolean;
  /** Keep a lab this run started. */
  keep?: boolean;
  env?: Record<string, string | undefined>;
  onEvent?: (e: RunEvent) => void;
}

/** Errors that another try cannot fix. */
const FINAL_ERRORS = new Set(["invalid_input", "confirmation_required", "mutation_not_allowed", "lab_not_found", "cancelled"]);
const never = new AbortController().signal;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/** A synthetic step for the target lab's start and stop (reports show them like any step). */
function labStep(tool: AnyTool, phase: "setup" | "teardown", args: Record<string, unknown>, line: number): CompiledStep {
  const key = phase === "setup" ? "target-up" : "target-down";
  const label = phase === "setup" ? "start the target lab" : "stop the target lab";
  return { key, label, name: label, phase, tool, args, expect: [], attempts: 1, delayMs: 0, save: {}, continueOnError: false, onTarget: false, reads: [], line };
}

/**
 * Before anything runs, every mutating step's config target or nodes must allow changes
 * (the resolver's policy; labs always do). A refusal throws here, so a runbook never
 * half-runs against servers it may not change. Arguments filled in from other steps'
 * outputs are checked when their step runs, as every tool call is.
 */
export async function checkMutationPolicy(rb: CompiledRunbook, targets: TargetResolver): Promise<void> {
  const known = (v: unknown): v is string => typeof v === "string" && !hasExpression(v);
  for (const step of [...rb.steps, ...rb.cleanup]) {
    if (!isMutating(step.tool)) continue;
    const { target, nodes } = step.args;
    if (known(target)) await targets.resolve({ target }, { mutate: true });
    else if (Array.isArray(nodes) && nodes.length && nodes.every(known)) await targets.resolve({ nodes }, { mutate: true });
  }
}

export async function executeRunbook(rb: CompiledRunbook, opts: ExecuteOptions): Promise<RunReport> {
  await checkMutationPolicy(rb, opts.targets);
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const dryRun = opts.dryRun ?? false;
  const signal = opts.signal ?? never;
  const emit = opts.onEvent ?? (() => {});
  const envRead = new Map(Object.entries(rb.env));
  const secrets = new Set<string>(envRead.values());
  const status = { failed: false, cancelled: signal.aborted };
  const ctx: EvalContext = { vars: rb.vars, env: recordingEnv(opts.env ?? process.env, envRead), target: {}, steps: {}, status };
  if (rb.target.kind === "lab") ctx.target = { lab: rb.target.name };
  else if (rb.target.kind === "config") ctx.target = { name: rb.target.name };
  else if (rb.target.kind === "nodes") ctx.target = { nodes: rb.target.nodes };
  const reports: StepReport[] = [];
  /** Keys of steps whose outputs are only a dry run's plan. */
  const planned = new Set<string>();
  let runFailed = false;
  let failure: string | undefined;
  let failedStep: string | undefined;
  let labPlannedOnly = false;
  signal.addEventListener("abort", () => (status.cancelled = true), { once: true });
  emit({ type: "start", runbook: rb, dryRun });

  // Values under secret keys and every env value the runbook read are secrets, in reports
  // and (registered) wherever else this process writes.
  const scrub = <T>(v: T): T => {
    for (const value of envRead.values()) secrets.add(value);
    for (const value of secrets) registerSecret(value);
    return redactDeep(redact(v, secrets) as T, secrets);
  };

  function skip(step: CompiledStep, reason: string): void {
    ctx.steps[step.key] = { outcome: "skipped", conclusion: "skipped" };
    const report: StepReport = { key: step.key, label: step.label, name: step.name, phase: step.phase, tool: step.tool.name, line: step.line || undefined, status: "skipped", attempts: 0, durationMs: 0, summary: `not run: ${reason}`, expectations: [], reason };
    reports.push(report);
    emit({ type: "step-end", step, report });
  }

  /** Why a step does not run now, or undefined to run it. */
  function skipReason(step: CompiledStep): string | undefined {
    const calls = step.condition ? callsOf(step.condition) : [];
    const statusAware = calls.some((f) => f === "always" || f === "failure" || f === "cancelled" || f === "success");
    const isCleanup = step.phase === "cleanup" || step.phase === "teardown";
    if (!isCleanup && !statusAware) {
      if (status.cancelled) return "the run was cancelled";
      if (status.failed) return `an earlier step failed (${failedStep ?? "see above"})`;
    }
    if (step.condition) {
      try {
        if (!truthy(evaluate(step.condition, ctx))) return `if: ${step.conditionText} is false`;
      } catch (err) {
        return `if: ${step.conditionText} could not be evaluated: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    if (dryRun) {
      if (labPlannedOnly && step.onTarget) return `dry run: it acts on lab ${ctx.target.lab}, which a dry run only plans`;
      const dep = step.reads.find((k) => planned.has(k));
      if (dep) return `dry run: it reads steps.${dep}'s output, which a dry run only plans`;
    }
    return undefined;
  }

  /**
   * The step's expectations; a step with none is judged as its command-line verb would
   * be (the tool's cli.exitCode, e.g. cluster_check with an error finding exits 1), so a
   * bare `- tool: cluster_check` cannot pass on a broken cluster.
   */
  function judge(step: CompiledStep, output: Record<string, unknown>): AssertionResult[] {
    if (step.expect.length) return step.expect.map((a) => checkAssertion(a, output, ctx));
    const code = step.tool.cli?.exitCode?.(output) ?? 0;
    return code === 0 ? [] : [{ text: `${step.tool.name} passes by its own verdict (its command-line exit code)`, ok: false, actual: `exit code ${code}` }];
  }

  async function attempt(step: CompiledStep, n: number, stepSignal: AbortSignal): Promise<{ result: InvokeResult; args: Record<string, unknown>; checks: AssertionResult[] }> {
    const args = resolveDynamic(step.args, ctx) as Record<string, unknown>;
    if (dryRun && isMutating(step.tool)) args.dryRun = true;
    secretValues(args, secrets);
    emit({ type: "step-start", step, attempt: n });
    const result = await invokeBounded({
      tool: step.tool,
      args,
      ctx: { progress: (event) => emit({ type: "progress", step, event }), targets: opts.targets, ...(opts.files ? { files: opts.files } : {}) },
      signal: stepSignal,
      timeoutMs: step.timeoutMs,
    });
    const judged = result.ok && !(dryRun && args.dryRun === true) ? judge(step, result.output) : [];
    return { result, args, checks: judged };
  }

  async function runStep(step: CompiledStep): Promise<StepReport | undefined> {
    const reason = skipReason(step);
    if (reason) {
      skip(step, reason);
      return undefined;
    }
    const stepSignal = step.phase === "cleanup" || step.phase === "teardown" ? (opts.cleanupSignal ?? never) : signal;
    const t0 = Date.now();
    let last!: Awaited<ReturnType<typeof attempt>>;
    let n = 0;
    for (n = 1; n <= step.attempts; n++) {
      last = await attempt(step, n, stepSignal);
      const held = last.result.ok && last.checks.every((c) => c.ok);
      if (held || n === step.attempts || stepSignal.aborted) break;
      if (!last.result.ok && FINAL_ERRORS.has(last.result.error.code)) break;
      const why = last.result.ok ? `expectation failed: ${last.checks.find((c) => !c.ok)?.text}` : last.result.error.message;
      emit({ type: "retry", step, attempt: n, reason: scrub(why), delayMs: step.delayMs });
      await sleep(step.delayMs, stepSignal);
    }
    const { result, args, checks } = last;
    const isDry = args.dryRun === true && dryRun;
    const statusOf = !result.ok ? "error" : checks.every((c) => c.ok) ? "passed" : "failed";
    const outputs = result.ok ? { ...result.output, ...Object.fromEntries(Object.entries(step.save).map(([k, p]) => [k, getPath(result.output, p)])) } : undefined;
    const outcome = statusOf === "passed" ? "success" : "failure";
    const continued = statusOf !== "passed" && step.continueOnError;
    ctx.steps[step.key] = { outputs, outcome, conclusion: continued && statusOf === "error" ? "success" : outcome };
    if (isDry) planned.add(step.key);
    const report: StepReport = {
      key: step.key,
      label: step.label,
      name: step.name,
      phase: step.phase,
      tool: step.tool.name,
      line: step.line || undefined,
      status: statusOf,
      ...(continued ? { continued } : {}),
      attempts: Math.min(n, step.attempts),
      durationMs: Date.now() - t0,
      args: scrub(args),
      summary: scrub(result.summary),
      ...(result.ok ? { output: scrub(result.output) } : { error: scrub({ code: result.error.code, message: result.error.message, next: result.error.next }) }),
      expectations: scrub(checks),
    };
    if (statusOf !== "passed") {
      const firstBad = checks.find((c) => !c.ok);
      const why = firstBad ? `expected ${firstBad.text}, ${firstBad.actual ?? "it did not hold"}` : report.summary;
      // A tool error under continue-on-error concludes as success; a failed expectation always fails the run.
      if (!(continued && statusOf === "error")) {
        runFailed = true;
        failure ??= `${stepTitle(step.label, step.tool.name)} failed: ${why}`;
      }
      if (!continued) {
        status.failed = true;
        failedStep ??= step.label;
      }
    }
    reports.push(report);
    emit({ type: "step-end", step, report });
    return report;
  }

  const target = rb.target;
  const labUp = opts.tools.find((t) => t.name === "lab_up");
  const labDown = opts.tools.find((t) => t.name === "lab_down");
  let labStarted = false;
  if (target.kind === "lab" && target.start && labUp) {
    const r = await runStep(labStep(labUp, "setup", { ...target.start }, target.line));
    labStarted = r?.status === "passed" && !dryRun;
    labPlannedOnly = dryRun;
  }
  for (const step of rb.steps) await runStep(step);
  for (const step of rb.cleanup) await runStep(step);
  if (labStarted && target.kind === "lab" && !(opts.keep || target.keep) && labDown) {
    await runStep(labStep(labDown, "teardown", { name: target.name, confirm: true }, target.line));
  }

  const count = (s: StepReport["status"]) => reports.filter((r) => r.status === s).length;
  const ok = !runFailed && !status.cancelled;
  return {
    runbook: rb.name,
    ...(rb.file ? { file: rb.file } : {}),
    ok,
    status: status.cancelled ? "cancelled" : ok ? "passed" : "failed",
    dryRun,
    startedAt,
    durationMs: Date.now() - started,
    target: describeTarget(rb),
    vars: scrub(rb.vars),
    steps: reports,
    counts: { passed: count("passed"), failed: count("failed"), error: count("error"), skipped: count("skipped") },
    ...(failure ? { failure } : status.cancelled ? { failure: "the run was cancelled" } : {}),
  };
}

export function describeTarget(rb: CompiledRunbook): string {
  const t = rb.target;
  if (t.kind === "lab") return t.start ? `lab ${t.name} (started for this run${t.keep ? ", kept" : ""})` : `lab ${t.name}`;
  if (t.kind === "config") return `target ${t.name}`;
  if (t.kind === "nodes") return `nodes ${t.nodes.join(", ")}`;
  return "none (each step names its own)";
}
