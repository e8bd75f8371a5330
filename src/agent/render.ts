/**
 * Human output for an agent run: each step with its time as it finishes, then the
 * verification and the outcome. Pure: records in, text out (the CLI and demo print it).
 */
import type { AgentRun } from "./run.js";
import type { LoopEvent, LoopResult, RunOutcome, StepRecord } from "./loop.js";
import { redact, secretValues } from "./transcript.js";

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** `name=demo nodes=6`: compact, secrets redacted, arrays comma-joined. */
export function renderArgs(args: Record<string, unknown>): string {
  const safe = redact(args, secretValues(args)) as Record<string, unknown>;
  return Object.entries(safe)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
}

const indent = (text: string, by = "     "): string => text.split("\n").map((l) => by + l).join("\n");

export function renderStep(s: StepRecord): string {
  const status = s.skipped ? "not run" : !s.ok ? "FAILED" : s.verification ? (s.verification.ok ? "verified" : "CHECK FAILED") : s.dryRun ? "dry run" : "ok";
  const head = `${String(s.n).padStart(3)}. ${s.tool} ${renderArgs(s.args)}`.trimEnd();
  return `${head}  [${seconds(s.durationMs)}, ${status}]\n${indent(s.summary)}`;
}

const HEADLINE: Record<RunOutcome, string> = {
  verified: "Done and verified",
  planned: "Dry run: nothing was changed",
  done: "Done",
  unverified: "Done, but NOT verified",
  verification_failed: "Stopped: verification failed",
  failed: "Stopped: a step failed",
  refused: "Not done",
  budget_exhausted: "Stopped at the step budget",
  stopped: "Stopped",
};

export function renderVerification(r: LoopResult): string | undefined {
  const v = r.verification;
  if (!v) return undefined;
  const warnings = v.findings.filter((f) => f.severity === "warning");
  if (v.ok) {
    return `Verification: ${v.tool} (step ${v.step}) passed${warnings.length ? ` with ${warnings.length} warning(s): ${warnings.map((w) => w.message).join(" ")}` : ", no findings"}.`;
  }
  return `Verification: ${v.tool} (step ${v.step}) FAILED: ${v.failure}`;
}

/** Headline, verification and the planner's last words. */
export function renderOutcome(r: LoopResult): string {
  const lines = [`${HEADLINE[r.outcome]} in ${seconds(r.totalMs)} (${r.steps.length} tool call${r.steps.length === 1 ? "" : "s"}, ${r.planner} planner).`];
  // A failed verification is the message itself; say it once.
  const v = r.outcome === "verification_failed" ? undefined : renderVerification(r);
  if (v) lines.push(v);
  if (r.message) lines.push(r.message);
  return lines.join("\n");
}

export function renderEnding(r: AgentRun): string {
  const lines = [renderOutcome(r)];
  for (const c of r.cleanup) lines.push(c.ok ? `Removed lab ${c.lab}, which this run started (pass --keep to keep it for inspection).` : `Could not remove lab ${c.lab}: ${c.summary}`);
  for (const lab of r.labsStarted) lines.push(`Lab ${lab} is still running; stop it with: redis-pilot lab down ${lab} --yes`);
  lines.push(`Transcript: ${r.transcriptPath}`);
  return lines.join("\n");
}

/** The whole run, for output after the fact (tests, --json-less replays). */
export function renderRun(r: AgentRun): string {
  return [`Request: ${r.request}`, ...(r.plan ? [r.plan] : []), ...r.steps.map(renderStep), renderEnding(r)].join("\n");
}

/** Exit code: 0 done (or planned), 2 refused, 1 anything that did not finish well. */
export function exitCodeFor(outcome: RunOutcome): number {
  if (outcome === "verified" || outcome === "planned" || outcome === "done") return 0;
  return outcome === "refused" ? 2 : 1;
}

/** Prints the plan and each finished step as the loop reports them; tools' progress only when asked. */
export function liveOutput(write: (text: string) => void, progress?: (text: string) => void): (e: LoopEvent) => void {
  return (e) => {
    if (e.type === "planner") write(e.text + "\n");
    else if (e.type === "step") write(renderStep(e.step) + "\n");
    else if (progress) progress(`     [${e.n}] ${e.event.elapsedMs !== undefined ? `${seconds(e.event.elapsedMs)} ` : ""}${e.event.step}: ${e.event.message}\n`);
  };
}
