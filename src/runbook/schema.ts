/**
 * The runbook file, as zod: GitHub Actions' step vocabulary (id, with, if,
 * continue-on-error, `${{ steps.<id>.outputs.<path> }}`) plus what an operator's runbook
 * needs on top: expect, retry, timeout, confirm, save, cleanup. This is the shape only;
 * src/runbook/validate.ts checks each step against its tool. The committed JSON Schema
 * (runbooks/runbook.schema.json) is made from this (json-schema.ts).
 */
import { z } from "zod";

export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const id = () => z.string().regex(ID_PATTERN, "letters, digits, _ and -, starting with a letter or _");

/** 500, "500ms", "30s", "2m", "1h": a number is milliseconds. */
export const durationSchema = z
  .union([z.number().int().min(0), z.string().regex(/^\d+(?:\.\d+)?\s*(?:ms|s|m|h)$/, "a duration like 500ms, 30s, 2m or 1h")])
  .describe("Milliseconds, or a duration like 500ms, 30s, 2m, 1h.");

export function durationMs(d: number | string): number {
  if (typeof d === "number") return d;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(d)!;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  return Math.round(Number(m[1]) * unit);
}

const numberOrExpr = z.union([z.number(), z.string()]);

const countSchema = z.union([
  z.number().int().min(0),
  z.string().regex(/\$\{\{/, "a whole number or a ${{ }} expression").describe("An expression giving the count, e.g. ${{ vars.masters }}."),
  z
    .strictObject({ equals: numberOrExpr.optional(), gt: numberOrExpr.optional(), gte: numberOrExpr.optional(), lt: numberOrExpr.optional(), lte: numberOrExpr.optional() })
    .describe("Bounds on the count, e.g. { gte: 3 }."),
]);

const eachSchema = z
  .strictObject({
    equals: z.unknown().optional(),
    "not-equals": z.unknown().optional(),
    gt: numberOrExpr.optional(),
    gte: numberOrExpr.optional(),
    lt: numberOrExpr.optional(),
    lte: numberOrExpr.optional(),
    matches: z.string().optional(),
  })
  .describe("Every item of the list at path meets all of these, e.g. { lte: 1048576 }; an empty list passes.");

export const SEVERITIES = ["error", "warning", "info"] as const;

/** Comparison operators an assertion may use; exactly one (or that:, or no-findings:) per assertion. */
export const OPERATORS = ["equals", "not-equals", "gt", "gte", "lt", "lte", "matches", "contains", "count", "each", "exists"] as const;

export const assertionSchema = z
  .strictObject({
    path: z.string().optional().describe("Where in the step's structured output: counts.masters, nodes[0].address, nodes.*.role. Empty: the whole output."),
    equals: z.unknown().optional().describe("The value at path equals this (lists and objects compared deeply)."),
    "not-equals": z.unknown().optional().describe("The value at path differs from this."),
    gt: numberOrExpr.optional().describe("The number at path is greater than this."),
    gte: numberOrExpr.optional().describe("The number at path is at least this."),
    lt: numberOrExpr.optional().describe("The number at path is less than this."),
    lte: numberOrExpr.optional().describe("The number at path is at most this."),
    matches: z.string().optional().describe("The string at path matches this regular expression."),
    contains: z.unknown().optional().describe("The list at path has this item, or the string at path has this text."),
    count: countSchema.optional().describe("The list at path (filtered by where) has this many items, or a count within bounds."),
    each: eachSchema.optional(),
    where: z.record(z.string(), z.unknown()).optional().describe("With count or each: only items whose fields equal these, e.g. { severity: error }."),
    exists: z.boolean().optional().describe("The path is present (true) or absent/null (false)."),
    "no-findings": z.enum(SEVERITIES).optional().describe("No finding (in findings, or at path) of this severity or worse: error, warning (or error), info (any)."),
    that: z.string().optional().describe("An expression that must be true, e.g. ${{ output.counts.masters == vars.masters }}."),
    message: z.string().optional().describe("What the assertion means, shown in reports instead of the generated text."),
  })
  .describe("One expectation on the step's structured output.");

export const stepSchema = z
  .strictObject({
    id: id().optional().describe("Names the step, so later steps can read ${{ steps.<id>.outputs.<path> }}."),
    name: z.string().optional().describe("A human name for reports; default: the id, else the tool."),
    tool: z.string().describe("A redis-pilot tool, e.g. cluster_check (redis-pilot mcp lists them)."),
    with: z.record(z.string(), z.unknown()).optional().describe("The tool's arguments, checked against its input schema before anything runs."),
    if: z.union([z.string(), z.boolean()]).optional().describe("Run only when this is true, e.g. ${{ failure() }} or steps.check.outputs.ok == false. Default: success()."),
    confirm: z.boolean().optional().describe("Required (true) for destructive tools: the reviewed runbook is the consent."),
    expect: z.array(assertionSchema).optional().describe("Assertions on the output; the run stops at the first step whose expectation fails."),
    retry: z
      .strictObject({
        attempts: z.number().int().min(1).max(100).describe("Tries in all, including the first."),
        delay: durationSchema.optional().describe("Wait between tries (default 1s)."),
      })
      .optional()
      .describe("Run the step again while it fails or its expectations do not hold."),
    timeout: durationSchema.optional().describe("Cancel one try after this long."),
    save: z.record(id(), z.string()).optional().describe("Name values of the output for later steps: { seed: nodes[0].address } -> ${{ steps.<id>.outputs.seed }}."),
    "continue-on-error": z.boolean().optional().describe("Go on after this step fails. A failed expectation still fails the run; a tool error does not."),
  })
  .describe("One tool call.");

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const varSchema = z.union([
  scalar.describe("The default value."),
  z.strictObject({
    default: scalar.optional().describe("Default value; without one, --var NAME=VALUE is required."),
    description: z.string().optional(),
    type: z.enum(["string", "number", "boolean"]).optional().describe("Type of the value (default: the default's type, else string)."),
  }),
]);

export const targetSchema = z.union([
  z.string().describe("A target named in the redis-pilot config file."),
  z
    .strictObject({
      lab: z
        .union([z.string(), z.record(z.string(), z.unknown())])
        .optional()
        .describe("A running lab's name, or lab_up's arguments (name, nodes, zones, template...) to start one for this run."),
      nodes: z.array(z.string()).optional().describe("Node addresses as HOST:PORT."),
      keep: z.boolean().optional().describe("Keep a lab this run started (default: stopped after cleanup)."),
    })
    .describe("Where the steps act: exactly one of lab or nodes."),
]);

export const runbookSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1).describe("What the runbook does, in a few words."),
    description: z.string().optional(),
    target: targetSchema.optional().describe("Where steps act unless a step names its own lab/target/nodes."),
    vars: z.record(id(), varSchema).optional().describe("Variables: ${{ vars.NAME }}; override with --var NAME=VALUE."),
    steps: z.array(stepSchema).min(1).describe("Tool calls, in order; the run stops at the first failure."),
    cleanup: z.array(stepSchema).optional().describe("Steps that always run at the end, like finally, even after a failure or a cancel."),
  })
  .describe("A redis-pilot runbook: tool calls with expectations, run unattended.");

export type RunbookFile = z.infer<typeof runbookSchema>;
export type StepFile = z.infer<typeof stepSchema>;
export type AssertionFile = z.infer<typeof assertionSchema>;
export type VarFile = z.infer<typeof varSchema>;
