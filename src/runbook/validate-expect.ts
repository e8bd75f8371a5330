/**
 * Checks a step's `expect` list against its tool's output schema and compiles it: each
 * assertion has exactly one operator, its path exists in the output, and its operand
 * fits (a number for gt, a list for count, findings with a severity for no-findings).
 */
import type { AnyTool } from "../registry/tool.js";
import { ExprProblem, typeOfExpr } from "./check-expr.js";
import { ExprSyntaxError, formatPath, parseCondition, parsePath, type PathSeg } from "./expr.js";
import { compatible, describeKinds, fieldsOf, kindOfValue, kindsOfType, PathError, toolSchemas, typeAt, type Kind, type StaticType } from "./json-type.js";
import { OPERATORS, type AssertionFile } from "./schema.js";
import { resolveStatic } from "./templates.js";
import { assertionText, SYMBOL } from "./assertions.js";
import type { AssertionOp, CompiledAssertion } from "./types.js";
import type { StepEnv, StepProblem } from "./validate-step.js";

/** Problems with an operator's fit to the value at path, or undefined. */
function fitProblem(op: AssertionOp, at: Set<Kind> | undefined, operand: Set<Kind> | undefined, p: string): string | undefined {
  const wants = (k: Kind[]) => !at || k.some((x) => at.has(x));
  const is = at ? describeKinds(at) : "";
  if ((op === "gt" || op === "gte" || op === "lt" || op === "lte") && (!wants(["number"]) || !compatible(operand, new Set(["number"])))) {
    return `type mismatch: ${op} compares numbers, but ${p} is ${is || "not a number"}${operand && !operand.has("number") ? ` and ${op} is ${describeKinds(operand)}` : ""}`;
  }
  if (op === "matches" && !wants(["string"])) return `type mismatch: matches applies to a string, but ${p} is ${is}`;
  if (op === "contains" && !wants(["array", "string"])) return `type mismatch: contains applies to a list or a string, but ${p} is ${is}`;
  if (op === "count" && !wants(["array", "object"])) return `type mismatch: count applies to a list, but ${p} is ${is}`;
  if (op === "each" && !wants(["array"])) return `type mismatch: each applies to a list, but ${p} is ${is}`;
  if ((op === "equals" || op === "not-equals") && !compatible(operand, at)) return `type mismatch: ${p} is ${is}, but ${op} is ${describeKinds(operand!)}`;
  return undefined;
}

function compileOne(a: AssertionFile, j: number, tool: AnyTool, env: StepEnv, out: StepProblem[]): CompiledAssertion | undefined {
  const at = (...rest: Array<string | number>) => ["expect", j, ...rest];
  const problem = (path: Array<string | number>, message: string) => (out.push({ path, message: `expect[${j}]: ${message}` }), undefined);
  const ops = [...OPERATORS, "no-findings", "that"].filter((k) => (a as Record<string, unknown>)[k] !== undefined) as AssertionOp[];
  if (ops.length === 0) return problem(at(), `needs one of ${OPERATORS.join(", ")}, no-findings or that`);
  if (ops.length > 1) return problem(at(ops[1]), `has both ${ops[0]} and ${ops[1]}; write one expectation for each`);
  const op = ops[0];
  if (a.where && op !== "count" && op !== "each") return problem(at("where"), "where only goes with count or each");
  const output = toolSchemas(tool).output;
  if (op === "that") {
    try {
      const e = parseCondition(a.that!);
      typeOfExpr(e, { ...env.scope, output });
      return { op, path: [], that: e, text: a.message ?? a.that!.trim(), ...(a.message ? { message: a.message } : {}), line: 0 };
    } catch (err) {
      if (err instanceof ExprSyntaxError || err instanceof ExprProblem) return problem(at("that"), `that: ${a.that}: ${err.message}`);
      throw err;
    }
  }
  let path: PathSeg[];
  let type: StaticType;
  try {
    path = parsePath(a.path ?? (op === "no-findings" ? "findings" : ""));
    type = typeAt(output, path);
  } catch (err) {
    if (err instanceof ExprSyntaxError || err instanceof PathError) return problem(at("path"), `${tool.name}'s output: ${err.message}`);
    throw err;
  }
  const shown = formatPath(path) || "the output";
  const resolved = resolveStatic((a as Record<string, unknown>)[op], env.scope, env.ctx);
  if (resolved.problems.length) return problem(at(op), resolved.problems[0].message);
  const operand = resolved.value;
  const operandKinds = resolved.dynamic.length && resolved.dynamic[0].path.length === 0 ? kindsOfType(resolved.dynamic[0].type) : new Set([kindOfValue(operand)]);
  if (op === "no-findings") {
    const item = type === "any" ? undefined : typeAt(type.schema, [{ index: 0 }]);
    if (item && item !== "any" && !fieldsOf(item.schema).includes("severity")) return problem(at("path"), `${shown} holds no findings (items have no severity)`);
  } else if (op === "matches") {
    try {
      new RegExp(String(operand));
    } catch {
      return problem(at("matches"), `matches: ${String(operand)} is not a valid regular expression`);
    }
  }
  const fit = op === "count" || op === "each" || op === "exists" || op === "no-findings" ? fitProblem(op, kindsOfType(type), undefined, shown) : fitProblem(op, kindsOfType(type), operandKinds, shown);
  if (fit) return problem(at(op), fit);
  if (op === "each") {
    const tests = Object.entries(operand as Record<string, unknown>);
    if (tests.length === 0) return problem(at("each"), "each needs at least one of equals, not-equals, gt, gte, lt, lte, matches");
    const item = type === "any" ? "any" : typeAt(type.schema, [{ index: 0 }]);
    for (const [sub, v] of tests) {
      const dyn = resolved.dynamic.find((d) => d.path[0] === sub);
      const kinds = dyn ? kindsOfType(dyn.type) : new Set([kindOfValue(v)]);
      const bad = fitProblem(sub as AssertionOp, kindsOfType(item), kinds, `each item of ${shown}`);
      if (bad) return problem(at("each", sub), bad);
    }
  }
  let where = a.where;
  if (where) {
    const w = resolveStatic(where, env.scope, env.ctx);
    if (w.problems.length) return problem(at("where", ...w.problems[0].path), w.problems[0].message);
    where = w.value as Record<string, unknown>;
  }
  if (a.where && type !== "any") {
    try {
      const item = typeAt(type.schema, [{ index: 0 }]);
      if (item !== "any") for (const k of Object.keys(a.where)) typeAt(item.schema, [{ key: k }], `items of ${shown}`);
    } catch (err) {
      if (err instanceof PathError) return problem(at("where"), `where: ${err.message}`);
      throw err;
    }
  }
  if (op === "count" && typeof operand === "object" && operand !== null) {
    for (const [k, v] of Object.entries(operand)) {
      if (typeof v !== "number" && !(typeof v === "string" && v.includes("${{"))) return problem(at("count", k), `count.${k} must be a number`);
    }
  }
  return { op, path, operand, ...(where ? { where } : {}), text: a.message ?? assertionText(op, path, operand, where), ...(a.message ? { message: a.message } : {}), line: 0 };
}

export function compileAssertions(list: AssertionFile[], tool: AnyTool, env: StepEnv, out: StepProblem[]): CompiledAssertion[] {
  return list.map((a, j) => compileOne(a, j, tool, env, out)).filter((a): a is CompiledAssertion => a !== undefined);
}
