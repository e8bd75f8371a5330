/**
 * The agent loop: ask the planner for the next call(s), run each through the registry
 * (invokeTool: the validation, confirmation and mutation policy MCP uses), hand every
 * outcome back, and stop when the request is done and verified, when a verification
 * fails (naming the failed check and the next step), or at the step budget.
 */
import { renderError } from "../errors.js";
import type { ProgressEvent } from "../ops/progress.js";
import { invokeTool, type InvokeError, type InvokeResult } from "../registry/invoke.js";
import type { TargetResolver } from "../targets/resolver.js";
import { findTool } from "../registry/filters.js";
import { isMutating, type AnyTool } from "../registry/tool.js";
import { speak, toolRef, type Words } from "../registry/words.js";
import type { CallOutcome, PlannedCall, Planner, PlannerTurn } from "./planner.js";
import type { Transcript } from "./transcript.js";
import { readVerification, type Verification } from "./verification.js";

export const DEFAULT_MAX_STEPS = 12;

export interface StepRecord {
  n: number;
  tool: string;
  /** Arguments as run (dryRun forced in a dry run, confirm only from the user). */
  args: Record<string, unknown>;
  /** Milliseconds from the start of the run to the start of this call. */
  startMs: number;
  durationMs: number;
  ok: boolean;
  dryRun: boolean;
  summary: string;
  skipped?: string;
  error?: InvokeError;
  verification?: Verification;
}

export type RunOutcome =
  | "verified" | "planned" | "done" | "unverified" | "verification_failed" | "failed" | "refused" | "budget_exhausted" | "stopped";

export interface LoopResult {
  request: string;
  planner: Planner["name"];
  dryRun: boolean;
  outcome: RunOutcome;
  /** The planner's last words, or why the loop stopped. */
  message: string;
  /** The planner's first text (its plan), when it gave one. */
  plan?: string;
  steps: StepRecord[];
  /** The last verification that ran. */
  verification?: Verification & { step: number; tool: string };
  /** Labs this run started and did not stop. */
  labsStarted: string[];
  totalMs: number;
}

export type LoopEvent =
  | { type: "planner"; text: string }
  | { type: "step"; step: StepRecord }
  | { type: "progress"; n: number; event: ProgressEvent };

export interface LoopOptions {
  request: string;
  planner: Planner;
  targets: TargetResolver;
  transcript: Transcript;
  /** The tools the planner may call (the front end passes the registry list). */
  tools: readonly AnyTool[];
  dryRun?: boolean;
  /** --yes: destructive calls run confirmed. */
  yes?: boolean;
  /** Asks the user about a destructive call; undefined refuses it (no TTY, no --yes). */
  confirm?: (question: string, plan: unknown) => Promise<boolean>;
  maxSteps?: number;
  signal?: AbortSignal;
  onEvent?: (e: LoopEvent) => void;
  /** How the run's own last words name tools and arguments (tool results keep MCP's: the planner reads them). @default mcpWords */
  words?: Words;
}

/** A finished call as the run records it, read as a verification when it is one. */
export function stepRecord(base: Pick<StepRecord, "n" | "tool" | "args" | "startMs">, result: InvokeResult): StepRecord {
  const dryRun = base.args.dryRun === true;
  const step: StepRecord = { ...base, durationMs: result.durationMs, ok: result.ok, dryRun, summary: result.summary };
  if (!result.ok) step.error = result.error;
  const v = readVerification(result, dryRun);
  if (v) step.verification = v;
  return step;
}

/** Lab names a call acts on (lab for cluster tools, name for lab tools). */
function labsNamed(tool: AnyTool, args: Record<string, unknown>): string[] {
  return [args.lab, tool.toolset === "lab" ? args.name : undefined].filter((v): v is string => typeof v === "string");
}

export async function runLoop(opts: LoopOptions): Promise<LoopResult> {
  const started = Date.now();
  const dryRun = opts.dryRun ?? false;
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const { tools } = opts;
  const emit = opts.onEvent ?? (() => {});
  const steps: StepRecord[] = [];
  const labsStarted: string[] = [];
  const plannedLabs = new Set<string>();
  let verification: LoopResult["verification"];
  let mutatedSinceVerified = false;
  let plan: string | undefined;

  async function execute(call: PlannedCall): Promise<{ step: StepRecord; outcome: CallOutcome }> {
    const n = steps.length + 1;
    const startMs = Date.now() - started;
    const tool = findTool(tools, call.tool);
    // Only the user confirms: a planner's own confirm: true is dropped.
    const { confirm: _planned, ...args } = call.args ?? {};
    const base = { n, tool: call.tool, startMs, args };
    const skip = (reason: string, ok: boolean) => {
      const step: StepRecord = { ...base, durationMs: 0, ok, dryRun, summary: `not run: ${reason}`, skipped: reason };
      return { step, outcome: { call, skipped: reason } };
    };
    if (!tool) return skip(`there is no tool named ${call.tool}; the tools are ${tools.map((t) => t.name).join(", ")}`, false);
    if (dryRun && isMutating(tool)) args.dryRun = true;
    const waitsFor = labsNamed(tool, args).find((l) => plannedLabs.has(l));
    if (waitsFor) return skip(`dry run; lab ${waitsFor} is only planned by an earlier step, so this call would run after it exists`, true);
    if (opts.yes && tool.annotations.destructiveHint) args.confirm = true;
    const result = await invokeTool(tool, args, {
      ctx: { progress: (event) => emit({ type: "progress", n, event }), signal: opts.signal ?? new AbortController().signal, targets: opts.targets },
      confirm: opts.yes ? undefined : opts.confirm,
    });
    const isDry = args.dryRun === true;
    const step = stepRecord(base, result);
    const v = step.verification;
    // Labs are tracked by what the tool says it does to one, never by its name.
    if (result.ok && tool.labEffect === "starts") {
      if (isDry) plannedLabs.add(String(result.output.name));
      else labsStarted.push(String(result.output.name));
    }
    if (result.ok && !isDry && tool.labEffect === "removes") {
      const i = labsStarted.indexOf(String(result.output.name));
      if (i >= 0) labsStarted.splice(i, 1);
    }
    // A tool that removes a lab proves its own postcondition (it returns once every node
    // has stopped and the lab's state is gone), so it leaves nothing to verify.
    if (result.ok && !isDry && isMutating(tool) && tool.labEffect !== "removes") mutatedSinceVerified = true;
    if (v) {
      verification = { ...v, step: n, tool: tool.name };
      if (v.ok) mutatedSinceVerified = false;
    }
    return { step, outcome: { call, result } };
  }

  const { transcript } = opts;
  const finish = async (outcome: RunOutcome, text: string): Promise<LoopResult> => {
    const message = transcript.scrub(speak(text, opts.words));
    const request = transcript.scrub(opts.request);
    const result: LoopResult = { request, planner: opts.planner.name, dryRun, outcome, message, plan, steps, verification, labsStarted, totalMs: Date.now() - started };
    await transcript.write("end", { outcome, message, verified: outcome === "verified", totalMs: result.totalMs, labsStarted, verification });
    return result;
  };

  function ending(turn: Exclude<PlannerTurn, { kind: "calls" }>): RunOutcome {
    if (turn.kind === "refuse") return "refused";
    if (turn.kind === "stop") return turn.reason === "step_failed" ? "failed" : turn.reason === "verification_failed" ? "verification_failed" : "stopped";
    if (dryRun) return "planned";
    const last = steps[steps.length - 1];
    if (last && !last.ok) return "failed";
    if (mutatedSinceVerified) return "unverified";
    return verification?.ok ? "verified" : "done";
  }

  // A secret typed into the request is learned before anything is written or printed.
  transcript.learn(opts.request);
  const model = opts.planner.model ? { model: opts.planner.model } : {};
  await transcript.write("request", { request: opts.request, planner: opts.planner.name, ...model, dryRun, yes: opts.yes ?? false, maxSteps });
  let outcomes: CallOutcome[] = [];
  for (;;) {
    let turn: PlannerTurn;
    try {
      turn = await opts.planner.next(outcomes);
    } catch (err) {
      await transcript.write("planner", { kind: "error", text: renderError(err) });
      return finish("failed", renderError(err, opts.words));
    }
    // The turn's call arguments (a password for lab_up) and its own words are learned
    // before its text is written or shown, so a secret in both is scrubbed from both.
    if (turn.kind === "calls") transcript.learn(turn.calls.map((c) => c.args));
    transcript.learn(turn.text ?? "");
    const text = transcript.scrub(turn.text ?? "");
    // Plans show up live; a final answer is the run's message, printed once at the end.
    if (text && turn.kind === "calls") emit({ type: "planner", text });
    plan ??= turn.kind === "calls" && text ? text : undefined;
    await transcript.write("planner", { kind: turn.kind, text, ...(turn.kind === "calls" ? { calls: turn.calls.map((c) => c.tool) } : {}), ...("reason" in turn ? { reason: turn.reason } : {}) });
    if (turn.kind !== "calls") {
      const outcome = ending(turn);
      const unverified = outcome === "unverified" ? " The last change was not verified; run the check tool (e.g. cluster_check) before relying on it." : "";
      return finish(outcome, text + unverified);
    }
    outcomes = [];
    let stop: { outcome: RunOutcome; message: string } | undefined;
    for (const call of turn.calls) {
      if (!stop && opts.signal?.aborted) stop = { outcome: "stopped", message: `Cancelled by the user; check the servers (e.g. ${toolRef("cluster_check")}) before retrying.` };
      if (stop) {
        outcomes.push({ call, skipped: "the loop stopped before this call" });
        continue;
      }
      if (steps.length >= maxSteps) {
        stop = { outcome: "budget_exhausted", message: `Stopped at the step budget (${maxSteps} tool calls) before the request was done. Raise the step budget (--max-steps) or split the request.` };
        outcomes.push({ call, skipped: "step budget reached" });
        continue;
      }
      const { step, outcome } = await execute(call);
      steps.push(step);
      outcomes.push(outcome);
      emit({ type: "step", step });
      await transcript.write("call", { ...step });
      if (step.verification && !step.verification.ok) {
        stop = { outcome: "verification_failed", message: `Verification failed at step ${step.n} (${step.tool}): ${step.verification.failure}` };
      }
    }
    if (stop) return finish(stop.outcome, stop.message);
  }
}
