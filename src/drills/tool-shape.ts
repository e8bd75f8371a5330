/**
 * What every drill tool (tools/drills/drill-*.ts) shares: its input fields (runs, timing,
 * --history FILE, --svg FILE), its output schema, and the step that turns a DrillResult
 * into that output (writing the history JSON and the SVG timeline when asked).
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { outputFileField } from "../registry/files.js";
import type { ProgressSink } from "../ops/progress.js";
import { runDrill, type DrillResult, type DrillScenario } from "./run-drill.js";
import { summaryLine, type DrillSummary } from "./summary.js";
import { renderTimelineSvg } from "./timeline.js";

export const drillInputFields = {
  runs: z.number().int().min(1).max(50).default(5).describe("How many times to run the drill (each on a fresh lab)."),
  warmupMs: z.number().int().min(0).max(60_000).default(500).describe("Workload before the action, in ms."),
  settleMs: z.number().int().min(0).max(120_000).default(1500).describe("Workload after the action, in ms."),
  writers: z.number().int().min(1).max(16).default(2).describe("Concurrent writer clients."),
  history: outputFileField("Write every run's history (JSON: invoke/ok/fail/info operations and events) to this file."),
  svg: outputFileField("Write an SVG timeline (operations per 10 ms: ok / failed / unknown, events marked) to this file."),
  dryRun: z.boolean().optional().describe("Only describe the drill; start nothing."),
};

/** CLI spellings shared by drill verbs. */
export const drillCliFlags = { warmupMs: "warmup", settleMs: "settle" };

const spreadSchema = z.object({ min: z.number(), median: z.number(), max: z.number() });

export const drillSummarySchema = z.object({
  runs: z.number().int(),
  acknowledged: spreadSchema,
  lost: spreadSchema,
  lostShare: z.number(),
  unknown: spreadSchema,
  failed: spreadSchema,
  unavailableMs: spreadSchema,
  staleReads: spreadSchema,
  maxStalenessMs: spreadSchema,
  replicaShare: spreadSchema.optional(),
  validRuns: z.number().int(),
});

export const drillRunSchema = z.object({
  run: z.number().int(),
  acknowledged: z.number().int(),
  lost: z.number().int(),
  unknown: z.number().int(),
  unknownPresent: z.number().int(),
  failed: z.number().int(),
  unavailableMs: z.number(),
  windows: z.array(z.object({ start: z.number(), end: z.number(), durationMs: z.number(), failed: z.number().int(), unknown: z.number().int(), ongoing: z.boolean() })),
  staleReads: z.number().int(),
  maxStalenessMs: z.number(),
  replicaShare: z.number().optional(),
  events: z.array(z.object({ time: z.number(), kind: z.string(), label: z.string() })),
  actionError: z.string().optional(),
});

export const drillOutputSchema = z.object({
  drill: z.string(),
  dryRun: z.boolean(),
  /** What the drill does, in plain words (also the dry run's answer). */
  plan: z.array(z.string()),
  scenarios: z.array(z.object({ scenario: z.string(), summary: drillSummarySchema, runs: z.array(drillRunSchema) })),
  historyFile: z.string().optional(),
  svgFile: z.string().optional(),
});

export type DrillOutput = z.infer<typeof drillOutputSchema>;

function runRow(r: DrillResult["runs"][number]): z.infer<typeof drillRunSchema> {
  const { writes, reads, unavailability } = r.report;
  return {
    run: r.run,
    acknowledged: writes.ok,
    lost: writes.lost,
    unknown: writes.unknown,
    unknownPresent: writes.unknownPresent,
    failed: writes.failed,
    unavailableMs: unavailability.longestGapMs,
    windows: unavailability.windows,
    staleReads: reads.stale,
    maxStalenessMs: reads.maxStalenessMs,
    ...(reads.replicaShare !== undefined ? { replicaShare: reads.replicaShare } : {}),
    events: r.history.events,
    ...(r.actionError ? { actionError: r.actionError } : {}),
  };
}

/** Shapes drill results for a tool's output, writing the history and SVG files when asked. */
export async function drillOutput(drill: string, plan: string[], results: DrillResult[], files: { history?: string; svg?: string }): Promise<DrillOutput> {
  const out: DrillOutput = {
    drill,
    dryRun: false,
    plan,
    scenarios: results.map((r) => ({ scenario: r.scenario, summary: r.summary, runs: r.runs.map(runRow) })),
  };
  const histories = results.flatMap((r) => r.runs.map((run) => run.history));
  if (files.history) {
    out.historyFile = resolve(files.history);
    await writeFile(out.historyFile, JSON.stringify({ drill, histories }, null, 1) + "\n");
  }
  if (files.svg) {
    out.svgFile = resolve(files.svg);
    await writeFile(out.svgFile, await renderTimelineSvg(histories, { title: `${drill}: operations per 10 ms (ok / failed / unknown)` }));
  }
  return out;
}

/** A drill whose action failed in any run measured nothing: the CLI exits 1 (and a runbook step without expect fails). */
export function drillExitCode(out: Pick<DrillOutput, "scenarios">): number {
  return out.scenarios.some((s) => s.runs.some((r) => r.actionError)) ? 1 : 0;
}

/** What every drill tool shares: its toolset, output, annotations (it changes only the labs it starts), summary and CLI form. */
export const drillToolShape = {
  toolset: "drills" as const,
  output: drillOutputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  summarize: summarizeDrill,
  cli: { flags: drillCliFlags, exitCode: drillExitCode },
};

/** "action failed in 2 of 5 runs (first: ...)" for each scenario where it did, for summaries. */
export function actionFailures(out: Pick<DrillOutput, "scenarios">): string[] {
  return out.scenarios.flatMap((s) => {
    const failed = s.runs.filter((r) => r.actionError);
    return failed.length ? [`  ${s.scenario}: the drill's action failed in ${failed.length} of ${s.runs.length} runs (${failed[0].actionError}); those runs measured nothing.`] : [];
  });
}

export function dryRunOutput(drill: string, plan: string[]): DrillOutput {
  return { drill, dryRun: true, plan, scenarios: [] };
}

/** What a drill tool's handler does: a dry run describes it; otherwise each scenario runs `runs` times, in turn, and the results are shaped. */
export async function runDrillTool(
  drill: string,
  plan: string[],
  scenarios: () => DrillScenario[],
  input: { runs: number; warmupMs: number; settleMs: number; writers: number; dryRun?: boolean; history?: string; svg?: string },
  ctx: { progress: ProgressSink; signal: AbortSignal },
): Promise<DrillOutput> {
  if (input.dryRun) return dryRunOutput(drill, plan);
  const results: DrillResult[] = [];
  for (const s of scenarios()) results.push(await runDrill(s, { runs: input.runs, warmupMs: input.warmupMs, settleMs: input.settleMs, writers: input.writers, progress: ctx.progress, signal: ctx.signal }));
  return drillOutput(drill, plan, results, input);
}

/** The human summary: one line per scenario. */
export function summarizeDrill(out: DrillOutput): string {
  if (out.dryRun) return `Dry run of ${out.drill}: would\n${out.plan.map((p) => `  - ${p}`).join("\n")}`;
  const lines = out.scenarios.map((s) => `  ${s.scenario}: ${summaryLine(s.summary as DrillSummary)}`);
  const files = [out.historyFile && `history: ${out.historyFile}`, out.svgFile && `timeline: ${out.svgFile}`].filter(Boolean);
  return [`Drill ${out.drill}:`, ...lines, ...actionFailures(out), ...(files.length ? [`  ${files.join(", ")}`] : [])].join("\n");
}
