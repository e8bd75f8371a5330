import { z } from "zod";
import { confirmField, dryRunField, targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";
import { executeRunbook, loadRunbook, renderSummary } from "../../src/runbook/index.js";
import { stepTitle } from "../../src/runbook/reports.js";

const stepSchema = z.object({
  key: z.string(),
  label: z.string(),
  name: z.string(),
  phase: z.enum(["setup", "main", "cleanup", "teardown"]),
  tool: z.string(),
  line: z.number().int().optional(),
  status: z.enum(["passed", "failed", "error", "skipped"]),
  continued: z.boolean().optional(),
  attempts: z.number().int(),
  durationMs: z.number(),
  args: z.record(z.string(), z.unknown()).optional(),
  summary: z.string(),
  error: z.object({ code: z.string(), message: z.string(), next: z.string() }).optional(),
  expectations: z.array(z.object({ text: z.string(), ok: z.boolean(), actual: z.string().optional() })),
  reason: z.string().optional(),
});

export const runbookRun = defineTool({
  name: "runbook_run",
  title: "Run a runbook",
  description:
    "Run a reviewed runbook file (YAML: tool calls with expectations; see runbooks/ for examples). The whole file is " +
    "validated first (unknown tools, bad arguments, references to later steps, missing confirm) and nothing runs if " +
    "any step is wrong. Then its steps run in order, stopping at the first failed expectation; cleanup steps always " +
    "run. Returns each step's status, its expectations and the first failure; ok is true only when every expectation " +
    "held. The runbook may change servers (its destructive steps carry the reviewer's confirm: true); use dryRun " +
    "to see what it would do. lab, target or nodes run it somewhere else than the file's target. A runbook with a " +
    "mutating step is refused, before anything runs, when its target may not be changed.",
  toolset: "runbook",
  input: z.object({
    file: z.string().describe("Path of the runbook file (.yaml or .yml)."),
    vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe("Values for the runbook's vars, overriding their defaults."),
    ...targetFields,
    keep: z.boolean().optional().describe("Keep a lab the runbook starts (default: stopped at the end)."),
    ...dryRunField,
    ...confirmField,
  }),
  output: z.object({
    runbook: z.string(),
    file: z.string().optional(),
    ok: z.boolean(),
    status: z.enum(["passed", "failed", "cancelled"]),
    dryRun: z.boolean(),
    startedAt: z.string(),
    durationMs: z.number(),
    target: z.string(),
    vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    steps: z.array(stepSchema),
    counts: z.object({ passed: z.number().int(), failed: z.number().int(), error: z.number().int(), skipped: z.number().int() }),
    failure: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  summarize: (out) => renderSummary(out),
  cli: {
    args: ["file"],
    flags: { vars: "var" },
    exitCode: (out) => (out.ok ? 0 : 1),
  },
  async handler(input, ctx) {
    // The registry list imports this file; read it when a run starts, not at load.
    const { allTools } = await import("../index.js");
    const runbook = await loadRunbook(input.file, { tools: allTools, vars: input.vars, target: { lab: input.lab, target: input.target, nodes: input.nodes } });
    let done = 0;
    const total = runbook.steps.length + runbook.cleanup.length;
    const report = await executeRunbook(runbook, {
      tools: allTools,
      targets: ctx.targets,
      // A runbook started over MCP writes files where its caller may: the policy travels with the call.
      ...(ctx.files ? { files: ctx.files } : {}),
      signal: ctx.signal,
      dryRun: input.dryRun,
      keep: input.keep,
      onEvent: (e) => {
        if (e.type === "step-end") {
          if (e.step.phase === "main" || e.step.phase === "cleanup") done++;
          ctx.progress({ step: e.step.key, message: `${e.report.status}: ${stepTitle(e.step.label, e.step.tool.name)}`, progress: done, total });
        } else if (e.type === "progress") ctx.progress({ step: e.step.key, message: `${e.event.step}: ${e.event.message}`, progress: done, total });
        else if (e.type === "retry") ctx.progress({ step: e.step.key, message: `try ${e.attempt} failed (${e.reason}); retrying`, progress: done, total });
      },
    });
    // The tools' full outputs stay out of the result (the JSON report has them); the summaries say what they found.
    return { ...report, steps: report.steps.map(({ output: _output, ...s }) => s) };
  },
});
