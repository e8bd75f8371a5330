/**
 * The report of a runbook that did not pass validation: nothing ran, and CI still gets a
 * JUnit file (one errored test case per problem) saying why, instead of no file at all.
 */
import type { Problem, RunReport } from "./types.js";
import { renderProblems } from "./validate.js";

export function invalidReport(file: string, problems: readonly Problem[]): RunReport {
  const steps = problems.map((p, i) => ({
    key: `problem-${i + 1}`,
    label: p.step ?? "runbook",
    name: p.step ?? "runbook",
    phase: "main" as const,
    tool: "validate",
    ...(p.line ? { line: p.line } : {}),
    status: "error" as const,
    attempts: 0,
    durationMs: 0,
    summary: renderProblems([p], file),
    error: { code: "runbook_invalid", message: renderProblems([p], file), next: "Fix the runbook; nothing was run." },
    expectations: [],
  }));
  return {
    runbook: file,
    file,
    ok: false,
    status: "failed",
    dryRun: false,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    target: "not resolved (the runbook is invalid)",
    vars: {},
    steps,
    counts: { passed: 0, failed: 0, error: steps.length, skipped: 0 },
    failure: `${problems.length} validation problem(s); nothing was run.`,
  };
}
