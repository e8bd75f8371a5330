/**
 * Validates a whole runbook before anything runs, and compiles it for the executor.
 * Every problem names the line and column it was written at, the step it is in, and
 * what is wrong, in one sentence: YAML syntax, the file's shape, vars and --var, the
 * target, and each step against its tool (validate-step.ts). Nothing here does I/O
 * beyond reading the environment variables the runbook names.
 */
import type { z } from "zod";
import { allowed, issuePath } from "../registry/input-issue.js";
import type { AnyTool } from "../registry/tool.js";
import type { PilotConfig } from "../targets/config.js";
import type { Scope, StepInfo } from "./check-expr.js";
import type { EvalContext } from "./expr-eval.js";
import { loadYaml, type LoadedYaml, type YamlPath } from "./load.js";
import { assertionSchema, runbookSchema, stepSchema, type RunbookFile, type StepFile } from "./schema.js";
import { didYouMean } from "./suggest.js";
import { resolveStatic } from "./templates.js";
import type { CompiledRunbook, CompiledStep, CompiledTarget, Problem } from "./types.js";
import { compileStep, savedTypes, type StepProblem } from "./validate-step.js";
import { resolveVars, type VarValue } from "./vars.js";

export interface ValidateOptions {
  tools: readonly AnyTool[];
  /** --var overrides (text from a command line, or typed values from a tool call). */
  vars?: Record<string, string | VarValue>;
  env?: Record<string, string | undefined>;
  file?: string;
  /** When given, a named target must exist in it. */
  config?: PilotConfig;
  /** Run against this instead of the file's target (--lab / --target). */
  target?: { lab?: string; target?: string; nodes?: string[] };
}

export type Validation = { ok: true; runbook: CompiledRunbook } | { ok: false; problems: Problem[] };

type Raw = Record<string, unknown>;

export function stepLabel(phase: "main" | "cleanup", i: number, raw: Raw | undefined): string {
  const prefix = phase === "cleanup" ? "cleanup step" : "step";
  if (typeof raw?.id === "string") return `${prefix} '${raw.id}'`;
  return `${prefix} ${i + 1}${typeof raw?.tool === "string" ? ` (${raw.tool})` : ""}`;
}

const STEP_KEYS = Object.keys(stepSchema.shape);
const TOP_KEYS = Object.keys(runbookSchema.shape);
const ASSERTION_KEYS = Object.keys(assertionSchema.shape);

/** The file's shape (zod) as problems: one per issue, at its line, naming its step. */
function shapeProblems(issues: readonly z.core.$ZodIssue[], data: Raw, y: LoadedYaml): Problem[] {
  return issues.map((issue) => {
    const path = issue.path as Array<string | number>;
    const inStep = (path[0] === "steps" || path[0] === "cleanup") && typeof path[1] === "number";
    const raw = inStep ? ((data[path[0]] as Raw[] | undefined)?.[path[1] as number] as Raw | undefined) : undefined;
    const step = inStep ? stepLabel(path[0] === "cleanup" ? "cleanup" : "main", path[1] as number, raw) : undefined;
    const rel = inStep ? path.slice(2) : path;
    const base = inStep ? raw : data;
    let message: string;
    if (issue.code === "unrecognized_keys") {
      const keys = rel[0] === "expect" ? ASSERTION_KEYS : inStep ? STEP_KEYS : TOP_KEYS;
      const where = rel.length ? `${issuePath(rel)} has` : inStep ? "the step has" : "the runbook has";
      message = issue.keys.map((k) => `${where} unknown field '${k}'${didYouMean(k, keys)}`).join("; ");
    } else if (issue.code === "invalid_type" && rel.length === 0 && !inStep) {
      message = "a runbook is a YAML mapping with name: and steps:";
    } else if (issue.code === "invalid_format" && issue.format === "regex") {
      // Our patterns carry their own words ("a duration like 500ms, 30s, 2m or 1h").
      message = `${issuePath(rel)} must be ${issue.message}`;
    } else {
      message = `${issuePath(rel) || "the step"} ${allowed(issue, base)}`;
    }
    return { ...y.locate(path), ...(step ? { step } : {}), message };
  });
}

/** A readable lab name from the runbook's name: lab names are 1-40 of a-z, 0-9, '-'. */
export function labNameFor(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
  return slug || "runbook";
}

function compileTarget(rb: RunbookFile, tools: readonly AnyTool[], scope: Scope, ctx: EvalContext, add: (p: YamlPath, m: string) => void, config?: PilotConfig): CompiledTarget {
  if (rb.target === undefined) return { kind: "none" };
  // The target may read vars and env (`lab: ${{ vars.lab }}`), nothing that runs later.
  const resolved = resolveStatic(rb.target, scope, ctx);
  resolved.problems.forEach((p) => add(["target", ...p.path], `target${p.path.length ? `.${p.path.join(".")}` : ""}: ${p.message}`));
  if (resolved.problems.length) return { kind: "none" };
  const t = resolved.value as NonNullable<RunbookFile["target"]>;
  if (typeof t === "string") {
    if (config && !config.targets?.[t]) {
      const known = Object.keys(config.targets ?? {});
      add(["target"], `there is no target '${t}' in the config${known.length ? ` (targets: ${known.join(", ")})` : ""}${didYouMean(t, known)}`);
    }
    return { kind: "config", name: t };
  }
  if ((t.lab === undefined) === (t.nodes === undefined)) {
    add(["target"], "target needs exactly one of lab (a lab name, or lab_up's arguments) or nodes");
    return { kind: "none" };
  }
  if (t.nodes) return { kind: "nodes", nodes: t.nodes };
  if (typeof t.lab === "string") {
    if (!/^[a-z0-9-]{1,40}$/.test(t.lab)) add(["target", "lab"], `target.lab '${t.lab}' is not a lab name (1-40 of a-z, 0-9, '-')`);
    return { kind: "lab", name: t.lab, keep: true, line: 0 };
  }
  const labUp = tools.find((x) => x.name === "lab_up");
  if (!labUp) {
    add(["target", "lab"], "this build has no lab_up tool, so the runbook cannot start a lab");
    return { kind: "none" };
  }
  const args = { name: labNameFor(rb.name), ...(t.lab as Raw) };
  const parsed = labUp.input.safeParse(args);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(["target", "lab", ...(issue.path as string[])], `target.lab.${issuePath(issue.path)} ${allowed(issue, args)}`);
    return { kind: "none" };
  }
  return { kind: "lab", name: String((parsed.data as Raw).name), start: args, keep: t.keep ?? false, line: 0 };
}

/** An env object that remembers what was read (those values are secrets in reports). */
export function recordingEnv(env: Record<string, string | undefined>, read: Map<string, string>): Record<string, string | undefined> {
  return new Proxy(env, {
    get(obj, key) {
      const v = typeof key === "string" ? obj[key] : undefined;
      if (typeof key === "string" && v !== undefined) read.set(key, v);
      return v;
    },
  });
}

export function validateRunbook(text: string, opts: ValidateOptions): Validation {
  const y = loadYaml(text);
  // After the first YAML error the parser's further complaints mostly follow from it: show that one.
  if (y.syntaxErrors.length) {
    const [e] = y.syntaxErrors;
    const more = y.syntaxErrors.length > 1 ? ` (the parser reports ${y.syntaxErrors.length - 1} more after it; fix this one first)` : "";
    return { ok: false, problems: [{ line: e.line, column: e.column, message: `YAML: ${e.message}${more}` }] };
  }
  const data = y.data;
  if (!data || typeof data !== "object" || Array.isArray(data)) return { ok: false, problems: [{ line: 1, column: 1, message: "a runbook is a YAML mapping with name: and steps:" }] };
  const parsed = runbookSchema.safeParse(data);
  if (!parsed.success) return { ok: false, problems: shapeProblems(parsed.error.issues, data as Raw, y) };
  const o = opts.target;
  const override = o?.lab ? { lab: o.lab } : o?.target ? o.target : o?.nodes?.length ? { nodes: o.nodes } : undefined;
  const rb = override ? { ...parsed.data, target: override } : parsed.data;
  const problems: Problem[] = [];
  const add = (path: YamlPath, message: string, step?: string) => problems.push({ ...y.locate(path), ...(step ? { step } : {}), message });

  const { vars, problems: varProblems } = resolveVars(rb.vars ?? {}, opts.vars ?? {});
  varProblems.forEach((p) => add(p.name ? ["vars", p.name] : ["vars"], p.message));
  const envRead = new Map<string, string>();
  const ctx: EvalContext = { vars, env: recordingEnv(opts.env ?? process.env, envRead), target: {}, steps: {}, status: { failed: false, cancelled: false } };
  const scope: Scope = { vars, target: {}, steps: new Map(), before: 0 };
  const target = compileTarget(rb, opts.tools, scope, ctx, add, opts.config);
  if (target.kind === "lab") target.line = y.locate(["target", "lab"]).line;
  const targetView = target.kind === "lab" ? { lab: target.name } : target.kind === "config" ? { name: target.name } : target.kind === "nodes" ? { nodes: target.nodes } : {};
  scope.target = targetView;
  ctx.target = targetView;

  const all: Array<{ raw: StepFile; phase: "main" | "cleanup"; i: number }> = [
    ...rb.steps.map((raw, i) => ({ raw, phase: "main" as const, i })),
    ...(rb.cleanup ?? []).map((raw, i) => ({ raw, phase: "cleanup" as const, i })),
  ];
  const yamlKey = (phase: "main" | "cleanup") => (phase === "main" ? "steps" : "cleanup");
  all.forEach(({ raw, phase, i }, order) => {
    if (!raw.id) return;
    const label = stepLabel(phase, i, raw);
    const first = scope.steps.get(raw.id);
    if (first) return add([yamlKey(phase), i, "id"], `id '${raw.id}' is already used by ${first.label}; ids are unique`, label);
    const tool = opts.tools.find((t) => t.name === raw.tool);
    if (tool) scope.steps.set(raw.id, { key: raw.id, tool, order, saved: savedTypes(raw.save, tool), label } satisfies StepInfo);
  });

  const compiled: CompiledStep[] = [];
  all.forEach(({ raw, phase, i }, order) => {
    const label = stepLabel(phase, i, raw);
    const out: StepProblem[] = [];
    const step = compileStep(raw, order + 1, phase, label, { tools: opts.tools, scope: { ...scope, before: order }, ctx, target }, out);
    out.forEach((p) => add([yamlKey(phase), i, ...p.path], p.message, label));
    if (!step) return;
    step.line = y.locate([yamlKey(phase), i]).line;
    step.expect.forEach((a, j) => (a.line = y.locate([yamlKey(phase), i, "expect", j]).line));
    compiled.push(step);
  });
  if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.line - b.line || a.column - b.column) };
  return {
    ok: true,
    runbook: {
      name: rb.name,
      description: rb.description,
      file: opts.file,
      vars,
      env: Object.fromEntries(envRead),
      target,
      steps: compiled.filter((s) => s.phase === "main"),
      cleanup: compiled.filter((s) => s.phase === "cleanup"),
    },
  };
}

/** `file:line:col: step 'x': problem`, one per line. */
export function renderProblems(problems: readonly Problem[], file = "runbook"): string {
  return problems.map((p) => `${file}:${p.line}:${p.column}: ${p.step ? `${p.step}: ` : ""}${p.message}`).join("\n");
}
