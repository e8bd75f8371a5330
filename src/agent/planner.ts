/**
 * The contract between the loop and a planner (Claude or built-in). The loop asks for
 * the next turn, runs the calls it names through the registry, and hands every outcome
 * back on the following ask, failures and findings included.
 */
import type { InvokeResult } from "../registry/invoke.js";

export interface PlannedCall {
  /** Unique within a run; the Claude planner uses the tool_use id. */
  id: string;
  tool: string;
  args: Record<string, unknown>;
}

export interface CallOutcome {
  call: PlannedCall;
  /** What the registry returned; absent when the loop did not run the call. */
  result?: InvokeResult;
  /** Why the loop did not run the call (dry run, unknown tool, budget). */
  skipped?: string;
}

export type PlannerTurn =
  /** Run these calls, in order. */
  | { kind: "calls"; calls: PlannedCall[]; text?: string }
  /** The planner believes the request is done; the loop decides whether it is verified. */
  | { kind: "done"; text: string }
  /** The request is not one to act on: impossible, ambiguous, unknown or not supported yet. */
  | { kind: "refuse"; reason: string; text: string }
  /** The planner cannot go on (a step failed, the model ran out of tokens, ...). */
  | { kind: "stop"; reason: string; text: string };

export interface Planner {
  readonly name: "builtin" | "claude";
  /** The model id, for planners that call one (recorded in the transcript). */
  readonly model?: string;
  /** First call with no outcomes; then with the outcomes of the previous turn's calls. */
  next(outcomes: CallOutcome[]): Promise<PlannerTurn>;
}

/** One line for a call's outcome, for planners and summaries. */
export function outcomeText(o: CallOutcome): string {
  if (!o.result) return `not run: ${o.skipped}`;
  return o.result.summary;
}
