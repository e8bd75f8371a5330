/**
 * Evaluates runbook expressions against what a run knows: vars, env, the target, the
 * outputs and outcomes of earlier steps, and (in `expect`) the step's own output.
 * Semantics follow GitHub Actions where they differ from JavaScript: a missing field is
 * null, && and || return an operand, comparisons of different types compare as numbers.
 * Strings compare case-sensitively (node ids and addresses are not case-folded).
 */
import { ExprSyntaxError, type Expr, type PathSeg, type Template } from "./expr.js";

export interface StepState {
  outputs?: Record<string, unknown>;
  /** success | failure | skipped | cancelled, before continue-on-error. */
  outcome: string;
  /** The outcome after continue-on-error (a continued failure concludes as success). */
  conclusion: string;
}

export interface EvalContext {
  vars: Record<string, unknown>;
  env: Record<string, string | undefined>;
  target: Record<string, unknown>;
  steps: Record<string, StepState>;
  /** The current step's output (expect's `that:`). */
  output?: unknown;
  /** For success() / failure() / cancelled(). */
  status: { failed: boolean; cancelled: boolean };
}

export function getPath(value: unknown, path: readonly PathSeg[]): unknown {
  let v: unknown = value;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (v === null || v === undefined) return null;
    if ("wildcard" in seg) {
      const items = Array.isArray(v) ? v : typeof v === "object" ? Object.values(v as object) : [];
      const rest = path.slice(i + 1);
      return items.map((x) => getPath(x, rest)).flatMap((x) => (x === null ? [] : [x]));
    }
    if ("index" in seg) v = Array.isArray(v) ? v[seg.index] : undefined;
    else v = typeof v === "object" && Object.hasOwn(v as object, seg.key) ? (v as Record<string, unknown>)[seg.key] : undefined;
  }
  return v === undefined ? null : v;
}

export function truthy(v: unknown): boolean {
  return !(v === false || v === 0 || v === "" || v === null || v === undefined || Number.isNaN(v));
}

function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (v === null || v === undefined || v === false) return 0;
  if (v === true) return 1;
  if (typeof v === "string") return v.trim() === "" ? 0 : Number(v);
  return NaN;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** == as runbooks mean it: same type by value (lists and objects deeply), else both as numbers. */
export function looseEqual(a: unknown, b: unknown): boolean {
  if (typeof a === typeof b || a === null || b === null || typeof a === "object" || typeof b === "object") {
    if (a === null || b === null) return (a ?? null) === (b ?? null);
    return deepEqual(a, b);
  }
  return toNumber(a) === toNumber(b);
}

function compare(op: "<" | "<=" | ">" | ">=", a: unknown, b: unknown): boolean {
  const [x, y] = typeof a === "string" && typeof b === "string" ? [a, b] : [toNumber(a), toNumber(b)];
  if (typeof x === "number" && (Number.isNaN(x) || Number.isNaN(y as number))) return false;
  return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
}

export function stringify(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Function name -> [min args, max args, implementation]. */
const FUNCTIONS: Record<string, [number, number, (args: unknown[], ctx: EvalContext) => unknown]> = {
  success: [0, 0, (_a, c) => !c.status.failed && !c.status.cancelled],
  failure: [0, 0, (_a, c) => c.status.failed],
  always: [0, 0, () => true],
  cancelled: [0, 0, (_a, c) => c.status.cancelled],
  contains: [2, 2, ([hay, needle]) => (Array.isArray(hay) ? hay.some((x) => looseEqual(x, needle)) : stringify(hay).includes(stringify(needle)))],
  startsWith: [2, 2, ([s, p]) => stringify(s).startsWith(stringify(p))],
  endsWith: [2, 2, ([s, p]) => stringify(s).endsWith(stringify(p))],
  length: [1, 1, ([v]) => (Array.isArray(v) || typeof v === "string" ? v.length : v && typeof v === "object" ? Object.keys(v).length : 0)],
  join: [1, 2, ([v, sep]) => (Array.isArray(v) ? v.map(stringify).join(sep === undefined ? "," : stringify(sep)) : stringify(v))],
  toJSON: [1, 1, ([v]) => JSON.stringify(v ?? null)],
};

export const FUNCTION_NAMES = Object.keys(FUNCTIONS);
export const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"];

export function functionArity(name: string): [number, number] | undefined {
  const f = FUNCTIONS[name];
  return f ? [f[0], f[1]] : undefined;
}

function rootValue(root: string, ctx: EvalContext): unknown {
  switch (root) {
    case "vars":
      return ctx.vars;
    case "env":
      return ctx.env;
    case "target":
      return ctx.target;
    case "steps":
      return ctx.steps;
    case "output":
      return ctx.output;
    default:
      throw new ExprSyntaxError(`unknown name '${root}'`);
  }
}

/** steps.<id>.output is accepted for steps.<id>.outputs (the spelling). */
export function normalizeStepsPath(root: string, path: readonly PathSeg[]): readonly PathSeg[] {
  if (root !== "steps" || path.length < 2) return path;
  const second = path[1];
  if ("key" in second && second.key === "output") return [path[0], { key: "outputs" }, ...path.slice(2)];
  return path;
}

export function evaluate(e: Expr, ctx: EvalContext): unknown {
  switch (e.kind) {
    case "lit":
      return e.value;
    case "ref":
      return getPath(rootValue(e.root, ctx), normalizeStepsPath(e.root, e.path));
    case "not":
      return !truthy(evaluate(e.expr, ctx));
    case "call": {
      const f = FUNCTIONS[e.fn];
      if (!f) throw new ExprSyntaxError(`unknown function '${e.fn}'`);
      return f[2](
        e.args.map((a) => evaluate(a, ctx)),
        ctx,
      );
    }
    case "bin": {
      if (e.op === "&&") {
        const l = evaluate(e.left, ctx);
        return truthy(l) ? evaluate(e.right, ctx) : l;
      }
      if (e.op === "||") {
        const l = evaluate(e.left, ctx);
        return truthy(l) ? l : evaluate(e.right, ctx);
      }
      const l = evaluate(e.left, ctx);
      const r = evaluate(e.right, ctx);
      if (e.op === "==") return looseEqual(l, r);
      if (e.op === "!=") return !looseEqual(l, r);
      return compare(e.op, l, r);
    }
  }
}

/** A template's value: a whole expression keeps its type; text with expressions is a string. */
export function evaluateTemplate(t: Template, ctx: EvalContext): unknown {
  if (t.whole) return evaluate(t.parts[0] as Expr, ctx);
  return t.parts.map((p) => (typeof p === "string" ? p : stringify(evaluate(p, ctx)))).join("");
}

