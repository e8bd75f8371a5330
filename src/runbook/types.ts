/**
 * A runbook after validation (what the executor runs) and a run's report (what the
 * terminal, JSON, JUnit and Markdown reports are made from). Plain data.
 */
import type { AnyTool } from "../registry/tool.js";
import type { Expr, PathSeg } from "./expr.js";
import type { VarValue } from "./vars.js";

export type AssertionOp = "equals" | "not-equals" | "gt" | "gte" | "lt" | "lte" | "matches" | "contains" | "count" | "each" | "exists" | "no-findings" | "that";

export interface CompiledAssertion {
  op: AssertionOp;
  path: PathSeg[];
  /** The operand as written (vars resolved; may hold ${{ }} to evaluate when the step runs). */
  operand?: unknown;
  where?: Record<string, unknown>;
  that?: Expr;
  /** How reports name it, e.g. "counts.masters == 3". */
  text: string;
  /** The author's own words for it (message:), shown instead of the generated text. */
  message?: string;
  line: number;
}

export type Phase = "setup" | "main" | "cleanup" | "teardown";

export interface CompiledStep {
  /** The id, or "#N" for a step without one. */
  key: string;
  id?: string;
  /** "step 'create'", "step 3 (cluster_check)", "cleanup step 'down'". */
  label: string;
  name: string;
  phase: Phase;
  tool: AnyTool;
  /** Arguments, vars resolved; strings may hold ${{ steps... }} to evaluate when the step runs. */
  args: Record<string, unknown>;
  /** undefined: success() for main steps, always() for cleanup. */
  condition?: Expr;
  conditionText?: string;
  expect: CompiledAssertion[];
  attempts: number;
  delayMs: number;
  timeoutMs?: number;
  save: Record<string, PathSeg[]>;
  continueOnError: boolean;
  /** Whether the step acts on the runbook's target (filled in, or read as ${{ target.* }}). */
  onTarget: boolean;
  /** Step keys whose outputs its arguments read. */
  reads: string[];
  line: number;
}

export type CompiledTarget =
  | { kind: "none" }
  | { kind: "config"; name: string }
  | { kind: "nodes"; nodes: string[] }
  /** A running lab, or (start) one this run starts with lab_up's arguments and stops unless keep. */
  | { kind: "lab"; name: string; start?: Record<string, unknown>; keep: boolean; line: number };

export interface CompiledRunbook {
  name: string;
  description?: string;
  file?: string;
  vars: Record<string, VarValue>;
  /** Values of the env variables the runbook reads; all treated as secrets. */
  env: Record<string, string>;
  target: CompiledTarget;
  steps: CompiledStep[];
  cleanup: CompiledStep[];
}

export interface Problem {
  line: number;
  column: number;
  /** The step it is about, e.g. "step 'create'", or undefined for the file as a whole. */
  step?: string;
  message: string;
}

export type StepStatus = "passed" | "failed" | "error" | "skipped";

export interface AssertionResult {
  text: string;
  ok: boolean;
  /** What was found, as text, when the assertion failed. */
  actual?: string;
}

export interface StepReport {
  key: string;
  label: string;
  name: string;
  phase: Phase;
  tool: string;
  line?: number;
  status: StepStatus;
  /** A failure that continue-on-error let the run go past. */
  continued?: boolean;
  attempts: number;
  durationMs: number;
  /** Arguments as run, secrets redacted. */
  args?: Record<string, unknown>;
  summary: string;
  error?: { code: string; message: string; next: string };
  expectations: AssertionResult[];
  /** Why it did not run, for skipped steps. */
  reason?: string;
  /** The tool's output (JSON report), secrets redacted. */
  output?: Record<string, unknown>;
}

export interface RunReport {
  runbook: string;
  file?: string;
  ok: boolean;
  /** passed, failed, or cancelled (a signal stopped it). */
  status: "passed" | "failed" | "cancelled";
  dryRun: boolean;
  startedAt: string;
  durationMs: number;
  target: string;
  vars: Record<string, VarValue>;
  steps: StepReport[];
  counts: { passed: number; failed: number; error: number; skipped: number };
  /** The first failure, as one sentence, when not ok. */
  failure?: string;
}
