/**
 * Static checks of expressions before a runbook runs: every name exists (a var, an env
 * variable, the target, an earlier step and a field its tool's output really has), every
 * function is known and called with the right number of arguments; the result is the
 * expression's static type, for type checks against the argument it fills.
 */
import type { AnyTool } from "../registry/tool.js";
import { formatPath, type Expr, type PathSeg } from "./expr.js";
import { FUNCTION_NAMES, functionArity } from "./expr-eval.js";
import { ANY, kindOfValue, PathError, toolSchemas, typeAt, type JsonSchema, type StaticType } from "./json-type.js";

export class ExprProblem extends Error {}

export interface StepInfo {
  key: string;
  tool: AnyTool;
  /** Position among all steps (main, then cleanup), for "comes later". */
  order: number;
  /** Types of the names `save` adds to its outputs. */
  saved: Record<string, StaticType>;
  label: string;
}

export interface Scope {
  vars: Record<string, unknown>;
  target: Record<string, unknown>;
  /** Every step with an id, visible or not. */
  steps: Map<string, StepInfo>;
  /** Steps with an order below this are visible. */
  before: number;
  /** The current step's tool output, in expect's `that:` (the root `output`). */
  output?: JsonSchema;
}

const ROOTS = "vars., env., target., steps.";

const literal = (v: unknown): StaticType => ({ schema: { type: kindOfValue(v) } });

function stepRefType(path: readonly PathSeg[], scope: Scope): StaticType {
  const first = path[0];
  if (!first || !("key" in first)) throw new ExprProblem("steps is read as steps.<id>.outputs.<path>");
  const info = scope.steps.get(first.key);
  if (!info) {
    const ids = [...scope.steps.values()].filter((s) => s.order < scope.before).map((s) => s.key);
    throw new ExprProblem(`there is no step with id '${first.key}'${ids.length ? ` (steps before this one: ${ids.join(", ")})` : " before this one"}`);
  }
  if (info.order === scope.before) throw new ExprProblem(`a step cannot read its own outputs here (in expect, read them as output.<path>)`);
  if (info.order > scope.before) throw new ExprProblem(`${info.label} comes later; a step can only read the steps before it`);
  const second = path[1];
  if (!second) return ANY;
  if (!("key" in second)) throw new ExprProblem(`steps.${first.key} is read as steps.${first.key}.outputs.<path>`);
  if (second.key === "outcome" || second.key === "conclusion") {
    if (path.length > 2) throw new ExprProblem(`steps.${first.key}.${second.key} is a string (success, failure, skipped, cancelled)`);
    return { schema: { type: "string", enum: ["success", "failure", "skipped", "cancelled"] } };
  }
  if (second.key !== "outputs" && second.key !== "output") {
    throw new ExprProblem(`steps.${first.key} has outputs, outcome and conclusion, not '${second.key}'`);
  }
  const rest = path.slice(2);
  const head = rest[0];
  if (head && "key" in head && scope.steps.get(first.key)!.saved[head.key]) {
    const saved = info.saved[head.key];
    return saved === "any" ? ANY : typeAtChecked(saved.schema, rest.slice(1), `steps.${first.key}.outputs.${head.key}`, info.tool.name);
  }
  return typeAtChecked(toolSchemas(info.tool).output, rest, "", info.tool.name);
}

function typeAtChecked(schema: JsonSchema, path: readonly PathSeg[], shown: string, tool: string): StaticType {
  try {
    return typeAt(schema, path, shown);
  } catch (err) {
    if (err instanceof PathError) throw new ExprProblem(`${tool}'s output: ${err.message}`);
    throw err;
  }
}

export function typeOfExpr(e: Expr, scope: Scope): StaticType {
  switch (e.kind) {
    case "lit":
      return literal(e.value);
    case "not":
      typeOfExpr(e.expr, scope);
      return { schema: { type: "boolean" } };
    case "bin": {
      const l = typeOfExpr(e.left, scope);
      const r = typeOfExpr(e.right, scope);
      if (e.op === "&&" || e.op === "||") return l === "any" || r === "any" ? ANY : { schema: { anyOf: [l.schema, r.schema] } };
      return { schema: { type: "boolean" } };
    }
    case "call": {
      const arity = functionArity(e.fn);
      if (!arity) throw new ExprProblem(`unknown function '${e.fn}' (functions: ${FUNCTION_NAMES.join(", ")})`);
      const [min, max] = arity;
      if (e.args.length < min || e.args.length > max) {
        throw new ExprProblem(`${e.fn}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? "" : "s"}, not ${e.args.length}`);
      }
      e.args.forEach((a) => typeOfExpr(a, scope));
      if (e.fn === "length") return { schema: { type: "number" } };
      if (e.fn === "join" || e.fn === "toJSON") return { schema: { type: "string" } };
      return { schema: { type: "boolean" } };
    }
    case "ref":
      return refType(e, scope);
  }
}

function refType(e: Extract<Expr, { kind: "ref" }>, scope: Scope): StaticType {
  const [head, ...rest] = e.path;
  const name = head && "key" in head ? head.key : undefined;
  switch (e.root) {
    case "vars":
      if (!name) throw new ExprProblem("vars is read as vars.<name>");
      if (!Object.hasOwn(scope.vars, name)) {
        const known = Object.keys(scope.vars);
        throw new ExprProblem(`there is no var '${name}'${known.length ? ` (vars: ${known.join(", ")})` : "; declare it under vars:"}`);
      }
      if (rest.length) throw new ExprProblem(`vars.${name} is a ${kindOfValue(scope.vars[name])}, so ${formatPath(e.path)} does not apply`);
      return literal(scope.vars[name]);
    case "env":
      if (!name || rest.length) throw new ExprProblem("env is read as env.<NAME>");
      return { schema: { type: "string" } };
    case "target":
      if (!name || !Object.hasOwn(scope.target, name)) {
        const known = Object.keys(scope.target);
        throw new ExprProblem(known.length ? `the target has ${known.join(", ")}, not '${name ?? ""}'` : "the runbook has no target; add target: to read target.<field>");
      }
      return literal(scope.target[name]);
    case "steps":
      return stepRefType(e.path, scope);
    case "output":
      if (!scope.output) throw new ExprProblem("output is only known in expect (the step's own output); other steps read steps.<id>.outputs");
      return typeAtChecked(scope.output, e.path, "", "the step");
    default:
      throw new ExprProblem(`unknown name '${e.root}'; expressions read ${ROOTS}${scope.output ? " and output." : ""}`);
  }
}
