/**
 * Checks one step against its tool before anything runs: the tool exists, confirm is
 * there for a destructive tool, the arguments pass the tool's own zod input (values
 * from other steps are type-checked against it), every reference names an earlier step
 * and a field its output has, and every expectation fits the output's schema.
 */
import type { z } from "zod";
import { allowed, issuePath } from "../registry/input-issue.js";
import type { AnyTool } from "../registry/tool.js";
import { ExprProblem, typeOfExpr, type Scope } from "./check-expr.js";
import { ExprSyntaxError, parseCondition, parsePath, type Expr, type PathSeg } from "./expr.js";
import type { EvalContext } from "./expr-eval.js";
import { compatible, describeKinds, fieldsOf, isClosedObject, kindsOf, kindsOfType, PathError, toolSchemas, typeAt, type JsonSchema, type StaticType } from "./json-type.js";
import { durationMs, type StepFile } from "./schema.js";
import { didYouMean } from "./suggest.js";
import { resolveStatic, type DynamicValue, type ValuePath } from "./templates.js";
import type { CompiledStep, CompiledTarget, Phase } from "./types.js";
import { compileAssertions } from "./validate-expect.js";

export interface StepProblem {
  /** YAML path relative to the step. */
  path: ValuePath;
  message: string;
}

export interface StepEnv {
  tools: readonly AnyTool[];
  scope: Scope;
  ctx: EvalContext;
  target: CompiledTarget;
}

const TARGET_KEYS = ["lab", "target", "nodes"];

/** Whether the tool takes the shared target fields (lab, target, nodes). */
export function takesTarget(tool: AnyTool): boolean {
  const shape = tool.input.shape as Record<string, unknown>;
  return TARGET_KEYS.every((k) => k in shape) || ("lab" in shape && "target" in shape);
}

export function targetArgs(target: CompiledTarget): Record<string, unknown> | undefined {
  if (target.kind === "lab") return { lab: target.name };
  if (target.kind === "config") return { target: target.name };
  if (target.kind === "nodes") return { nodes: target.nodes };
  return undefined;
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}

const fieldName = (path: readonly PropertyKey[]) => `with.${issuePath(path)}`;

/** Keys the tool's input does not declare, anywhere in the arguments. */
function unknownKeys(value: unknown, schema: JsonSchema, path: ValuePath, tool: string, out: StepProblem[]): void {
  if (!value || typeof value !== "object") return;
  if (Array.isArray(value)) {
    const items = schema.items as JsonSchema | undefined;
    if (items) value.forEach((v, i) => unknownKeys(v, items, [...path, i], tool, out));
    return;
  }
  if (!isClosedObject(schema)) return;
  const known = fieldsOf(schema);
  for (const [k, v] of Object.entries(value)) {
    if (!known.includes(k)) {
      const where = path.length ? `${fieldName(path)} has` : `${tool} takes`;
      out.push({ path: ["with", ...path, k], message: `${where} no argument '${k}'${didYouMean(k, known)} (arguments: ${known.join(", ")})` });
      continue;
    }
    try {
      const t = typeAt(schema, [{ key: k }]);
      if (t !== "any") unknownKeys(v, t.schema, [...path, k], tool, out);
    } catch {
      /* reported by zod */
    }
  }
}

function checkArgs(tool: AnyTool, args: Record<string, unknown>, dynamic: DynamicValue[], out: StepProblem[]): void {
  const input = toolSchemas(tool).input;
  unknownKeys(args, input, [], tool.name, out);
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) {
    for (const issue of (parsed.error as z.ZodError).issues) {
      if (dynamic.some((d) => startsWith(issue.path, d.path))) continue;
      if (issue.code === "unrecognized_keys") continue;
      out.push({ path: ["with", ...(issue.path as ValuePath)], message: `${fieldName(issue.path)} ${allowed(issue, args)}` });
    }
  }
  for (const d of dynamic) {
    let want: StaticType;
    try {
      want = typeAt(input, d.path.map((k) => (typeof k === "number" ? { index: k } : { key: k })));
    } catch (err) {
      if (err instanceof PathError) continue;
      throw err;
    }
    const have = kindsOfType(d.type);
    const wanted = want === "any" ? undefined : kindsOf(want.schema);
    if (!compatible(have, wanted)) {
      out.push({
        path: ["with", ...d.path],
        message: `type mismatch: ${fieldName(d.path)} gets ${describeKinds(have!)} from ${d.text}, but ${tool.name} wants ${describeKinds(wanted!)}`,
      });
    }
  }
}

function compileCondition(raw: string | boolean | undefined, scope: Scope, out: StepProblem[]): Expr | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === "boolean") return { kind: "lit", value: raw };
  try {
    const e = parseCondition(raw);
    typeOfExpr(e, scope);
    return e;
  } catch (err) {
    if (err instanceof ExprSyntaxError || err instanceof ExprProblem) out.push({ path: ["if"], message: `if: ${raw}: ${err.message}` });
    else throw err;
    return undefined;
  }
}

function compileSave(save: Record<string, string> | undefined, tool: AnyTool, out: StepProblem[]): Record<string, PathSeg[]> {
  const result: Record<string, PathSeg[]> = {};
  const output = toolSchemas(tool).output;
  const fields = fieldsOf(output);
  for (const [name, text] of Object.entries(save ?? {})) {
    if (fields.includes(name)) {
      out.push({ path: ["save", name], message: `save: '${name}' is already a field of ${tool.name}'s output; pick another name` });
      continue;
    }
    try {
      const path = parsePath(text);
      typeAt(output, path);
      result[name] = path;
    } catch (err) {
      if (err instanceof ExprSyntaxError || err instanceof PathError) out.push({ path: ["save", name], message: `save.${name}: ${tool.name}'s output: ${err.message}` });
      else throw err;
    }
  }
  return result;
}

/** Types of what `save` names, for later steps' references (computed before any step is checked). */
export function savedTypes(save: Record<string, string> | undefined, tool: AnyTool): Record<string, StaticType> {
  const out: Record<string, StaticType> = {};
  for (const [name, text] of Object.entries(save ?? {})) {
    try {
      out[name] = typeAt(toolSchemas(tool).output, parsePath(text));
    } catch {
      out[name] = "any"; // reported when the step itself is checked
    }
  }
  return out;
}

export function findTool(tools: readonly AnyTool[], name: string, out: StepProblem[]): AnyTool | undefined {
  const tool = tools.find((t) => t.name === name);
  if (tool) return tool;
  out.push({ path: ["tool"], message: `unknown tool '${name}'${didYouMean(name, tools.map((t) => t.name))} (a runbook names tools as MCP's tools/list does, e.g. cluster_check)` });
  return undefined;
}

export function compileStep(raw: StepFile, n: number, phase: Phase, label: string, env: StepEnv, out: StepProblem[]): CompiledStep | undefined {
  if (raw.tool === "runbook_run") {
    out.push({ path: ["tool"], message: "runbook_run cannot run inside a runbook; put the steps here, or run the runbooks one after another" });
    return undefined;
  }
  const tool = findTool(env.tools, raw.tool, out);
  if (!tool) return undefined;
  if (tool.annotations.destructiveHint && raw.confirm !== true) {
    out.push({ path: ["confirm"], message: `${tool.name} is destructive; after reviewing it, add confirm: true to the step (the reviewed runbook is the consent)` });
  }
  const withRaw = raw.with ?? {};
  if ("confirm" in withRaw) out.push({ path: ["with", "confirm"], message: "put confirm: true on the step itself, not under with" });
  const { confirm: _c, ...given } = withRaw;
  const resolved = resolveStatic(given, env.scope, env.ctx);
  resolved.problems.forEach((p) => out.push({ path: ["with", ...p.path], message: `with.${p.path.join(".")}: ${p.message}` }));
  let args = resolved.value as Record<string, unknown>;
  const injected = takesTarget(tool) && !TARGET_KEYS.some((k) => args[k] !== undefined);
  // It acts on the target when it gets it filled in, or names it (`name: ${{ target.lab }}`).
  const onTarget = injected || resolved.readsTarget;
  if (injected) {
    const t = targetArgs(env.target);
    if (t) args = { ...t, ...args };
    else out.push({ path: ["with"], message: `${tool.name} acts on a lab, target or nodes; set the runbook's target, or give with.lab, with.target or with.nodes` });
  }
  if (raw.confirm === true) args.confirm = true;
  checkArgs(tool, args, resolved.dynamic, out);
  const condition = compileCondition(raw.if, env.scope, out);
  const expect = compileAssertions(raw.expect ?? [], tool, env, out);
  const save = compileSave(raw.save, tool, out);
  return {
    key: raw.id ?? `#${n}`,
    id: raw.id,
    label,
    name: raw.name ?? raw.id ?? raw.tool,
    phase,
    tool,
    args,
    condition,
    conditionText: typeof raw.if === "string" ? raw.if : raw.if === undefined ? undefined : String(raw.if),
    expect,
    attempts: raw.retry?.attempts ?? 1,
    delayMs: raw.retry?.delay !== undefined ? durationMs(raw.retry.delay) : 1000,
    timeoutMs: raw.timeout !== undefined ? durationMs(raw.timeout) : undefined,
    save,
    continueOnError: raw["continue-on-error"] ?? false,
    onTarget,
    reads: [...new Set(resolved.dynamic.flatMap((d) => d.reads))],
    line: 0,
  };
}
