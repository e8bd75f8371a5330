/**
 * A run's report in the forms people read it: the terminal summary, JSON (everything,
 * secrets redacted), JUnit XML (one test case per step, so CI shows a failed step as a
 * failed test) and Markdown (for a ticket or a PR comment). Pure: report in, text out.
 */
import type { RunReport, StepReport } from "./types.js";

export type ReportFormat = "json" | "junit" | "markdown";
export const REPORT_FORMATS: readonly ReportFormat[] = ["json", "junit", "markdown"];

/** "step 'create' (cluster_create)"; a step without an id is already labelled with its tool. */
export function stepTitle(label: string, tool: string): string {
  return label.endsWith(`(${tool})`) ? label : `${label} (${tool})`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const MARK: Record<StepReport["status"], string> = { passed: "ok", failed: "FAILED", error: "ERROR", skipped: "skipped" };

export function stepLine(s: StepReport): string {
  const status = s.continued ? `${MARK[s.status]} (continued)` : MARK[s.status];
  const tries = s.attempts > 1 ? `, ${s.attempts} tries` : "";
  return `${status.padEnd(8)} ${stepTitle(s.label, s.tool)}  [${seconds(s.durationMs)}${tries}]`;
}

/** The step's expectations and its error or skip reason, indented under its line. */
export function stepDetails(s: StepReport): string[] {
  const lines: string[] = [];
  if (s.status === "skipped") lines.push(`  ${s.reason}`);
  if (s.error) lines.push(`  ${s.error.message} ${s.error.next}`);
  for (const e of s.expectations) lines.push(`  ${e.ok ? "held  " : "FAILED"} ${e.text}${e.ok ? "" : ` (${e.actual})`}`);
  return lines;
}

export function renderSummary(r: RunReport): string {
  const head =
    r.status === "passed"
      ? `${r.dryRun ? "Dry run of" : "Runbook"} '${r.runbook}' passed`
      : r.status === "cancelled"
        ? `Runbook '${r.runbook}' was cancelled`
        : `Runbook '${r.runbook}' FAILED`;
  const c = r.counts;
  const lines = [
    `${head} in ${seconds(r.durationMs)}: ${c.passed} passed, ${c.failed} failed, ${c.error} error${c.error === 1 ? "" : "s"}, ${c.skipped} skipped (target: ${r.target}).`,
  ];
  if (r.failure) lines.push(`First failure: ${r.failure}`);
  // Every step in a line; details (expectations, errors, why skipped) only where something did not pass.
  for (const s of r.steps) lines.push(stepLine(s), ...(s.status === "passed" ? [] : stepDetails(s)));
  return lines.join("\n");
}

export function renderJson(r: RunReport): string {
  return JSON.stringify(r, null, 2) + "\n";
}

const xml = (s: string) =>
  s
    // Characters XML 1.0 cannot hold at all.
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

function testCase(r: RunReport, s: StepReport): string {
  const attrs = `classname="${xml(`runbook.${r.runbook}`)}" name="${xml(stepTitle(s.label, s.tool))}" time="${(s.durationMs / 1000).toFixed(3)}"`;
  const body: string[] = [];
  const details = stepDetails(s).join("\n");
  if (s.status === "skipped") body.push(`<skipped message="${xml(s.reason ?? "skipped")}"/>`);
  else if (s.status === "failed") {
    const bad = s.expectations.find((e) => !e.ok);
    body.push(`<failure message="${xml(bad ? `expected ${bad.text}: ${bad.actual}` : s.summary)}" type="expectation">${xml(details)}</failure>`);
  } else if (s.status === "error" && !s.continued) {
    body.push(`<error message="${xml(s.error ? s.error.message : s.summary)}" type="${xml(s.error?.code ?? "error")}">${xml(details)}</error>`);
  }
  body.push(`<system-out>${xml(s.summary)}</system-out>`);
  return `    <testcase ${attrs}>\n      ${body.join("\n      ")}\n    </testcase>`;
}

export function renderJunit(r: RunReport): string {
  const c = r.counts;
  const errors = r.steps.filter((s) => s.status === "error" && !s.continued).length;
  const suite = `name="${xml(r.runbook)}" tests="${r.steps.length}" failures="${c.failed}" errors="${errors}" skipped="${c.skipped}" time="${(r.durationMs / 1000).toFixed(3)}" timestamp="${r.startedAt}"`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="redis-pilot runbook" tests="${r.steps.length}" failures="${c.failed}" errors="${errors}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite ${suite}>`,
    `    <properties>`,
    `      <property name="target" value="${xml(r.target)}"/>`,
    ...(r.file ? [`      <property name="file" value="${xml(r.file)}"/>`] : []),
    `      <property name="dryRun" value="${r.dryRun}"/>`,
    `    </properties>`,
    ...r.steps.map((s) => testCase(r, s)),
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}

const md = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(r: RunReport): string {
  const icon = r.status === "passed" ? "PASSED" : r.status === "cancelled" ? "CANCELLED" : "FAILED";
  const lines = [
    `# Runbook: ${r.runbook} — ${icon}`,
    "",
    `- Target: ${r.target}`,
    `- Started: ${r.startedAt}, took ${seconds(r.durationMs)}${r.dryRun ? " (dry run: nothing was changed)" : ""}`,
    `- Steps: ${r.counts.passed} passed, ${r.counts.failed} failed, ${r.counts.error} errors, ${r.counts.skipped} skipped`,
    ...(r.failure ? [`- First failure: ${md(r.failure)}`] : []),
    "",
    "| # | Step | Tool | Status | Time | Result |",
    "|---|------|------|--------|------|--------|",
    ...r.steps.map((s, i) => `| ${i + 1} | ${md(s.label)} | \`${s.tool}\` | ${MARK[s.status]}${s.continued ? " (continued)" : ""} | ${seconds(s.durationMs)} | ${md(s.reason ?? s.summary.split("\n")[0])} |`),
  ];
  const checked = r.steps.filter((s) => s.expectations.length);
  if (checked.length) {
    lines.push("", "## Expectations", "");
    for (const s of checked) for (const e of s.expectations) lines.push(`- ${e.ok ? "[x]" : "[ ]"} ${md(s.label)}: ${md(e.text)}${e.ok ? "" : ` — ${md(e.actual ?? "")}`}`);
  }
  return lines.join("\n") + "\n";
}

export function renderReport(r: RunReport, format: ReportFormat): string {
  return format === "json" ? renderJson(r) : format === "junit" ? renderJunit(r) : renderMarkdown(r);
}
