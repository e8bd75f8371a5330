/**
 * `${{ }}` inside argument values. Before a run, everything that is already known (vars,
 * env, the target) is filled in, so the tool's own schema checks those values; what
 * reads other steps' outputs stays an expression, is type-checked statically, and is
 * filled in when its step runs (resolveDynamic).
 */
import { ExprSyntaxError, hasExpression, parseTemplate, refsOf, type Expr, type Template } from "./expr.js";
import { evaluateTemplate, type EvalContext } from "./expr-eval.js";
import { ExprProblem, typeOfExpr, type Scope } from "./check-expr.js";
import type { StaticType } from "./json-type.js";

export type ValuePath = Array<string | number>;

export interface DynamicValue {
  /** Where in the value (relative). */
  path: ValuePath;
  /** Its static type (a whole expression's, else a string). */
  type: StaticType;
  /** The text as written, for messages. */
  text: string;
  /** Step keys it reads. */
  reads: string[];
}

export interface TemplateProblem {
  path: ValuePath;
  message: string;
}

const STATIC_ROOTS = new Set(["vars", "env", "target"]);

function isStatic(t: Template): boolean {
  return t.parts.every((p) => typeof p === "string" || refsOf(p).every((r) => STATIC_ROOTS.has(r.root)));
}

function readsOf(t: Template): string[] {
  const out = new Set<string>();
  for (const p of t.parts) {
    if (typeof p === "string") continue;
    for (const r of refsOf(p)) {
      const first = r.path[0];
      if (r.root === "steps" && first && "key" in first) out.add(first.key);
    }
  }
  return [...out];
}

function envNames(t: Template): string[] {
  return t.parts.flatMap((p) => (typeof p === "string" ? [] : refsOf(p).filter((r) => r.root === "env").map((r) => ("key" in r.path[0] ? r.path[0].key : ""))));
}

function typeOfTemplate(t: Template, scope: Scope): StaticType {
  const types = t.parts.filter((p): p is Expr => typeof p !== "string").map((p) => typeOfExpr(p, scope));
  return t.whole ? types[0] : { schema: { type: "string" } };
}

/**
 * Fills in what is known now. Returns the value with static templates replaced, the
 * positions that stay dynamic, and problems (syntax, unknown names, bad paths).
 */
export function resolveStatic(
  value: unknown,
  scope: Scope,
  ctx: EvalContext,
  at: ValuePath = [],
): { value: unknown; dynamic: DynamicValue[]; problems: TemplateProblem[]; readsTarget: boolean } {
  const dynamic: DynamicValue[] = [];
  const problems: TemplateProblem[] = [];
  let readsTarget = false;
  const walk = (v: unknown, path: ValuePath): unknown => {
    if (typeof v === "string" && hasExpression(v)) {
      try {
        const t = parseTemplate(v);
        readsTarget ||= t.parts.some((p) => typeof p !== "string" && refsOf(p).some((r) => r.root === "target"));
        const type = typeOfTemplate(t, scope);
        const unset = envNames(t).filter((n) => ctx.env[n] === undefined);
        if (unset.length) throw new ExprProblem(`the environment variable ${unset.join(", ")} is not set`);
        if (isStatic(t)) return evaluateTemplate(t, ctx);
        dynamic.push({ path, type, text: v.trim(), reads: readsOf(t) });
        return v;
      } catch (err) {
        if (err instanceof ExprSyntaxError || err instanceof ExprProblem) {
          problems.push({ path, message: `${v.trim()}: ${err.message}` });
          return v;
        }
        throw err;
      }
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  return { value: walk(value, at), dynamic, problems, readsTarget };
}

/** Fills in the expressions left for run time, with what the run knows now. */
export function resolveDynamic(value: unknown, ctx: EvalContext): unknown {
  if (typeof value === "string" && hasExpression(value)) return evaluateTemplate(parseTemplate(value), ctx);
  if (Array.isArray(value)) return value.map((x) => resolveDynamic(x, ctx));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, resolveDynamic(x, ctx)]));
  return value;
}
