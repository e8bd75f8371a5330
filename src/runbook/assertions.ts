/**
 * Judges a step's expectations against its structured output. Pure: assertion, output
 * and what the run knows in; held or not, and what was found, out.
 */
import { evaluate, getPath, looseEqual, truthy, type EvalContext } from "./expr-eval.js";
import { resolveDynamic } from "./templates.js";
import { formatPath, type PathSeg } from "./expr.js";
import type { AssertionOp, AssertionResult, CompiledAssertion } from "./types.js";

export const SYMBOL: Partial<Record<AssertionOp, string>> = { equals: "==", "not-equals": "!=", gt: ">", gte: ">=", lt: "<", lte: "<=" };

const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

function countText(path: string, count: unknown, where?: Record<string, unknown>): string {
  const of = where ? `${path} where ${Object.entries(where).map(([k, v]) => `${k} == ${show(v)}`).join(" and ")}` : path;
  if (typeof count === "number" || typeof count === "string") return `count(${of}) == ${show(count)}`;
  const bounds = Object.entries(count as object).map(([op, v]) => `${SYMBOL[op as AssertionOp] ?? op} ${show(v)}`);
  return `count(${of}) ${bounds.join(" and ")}`;
}

const SEVERITY_TEXT: Record<string, string> = { error: "of severity error", warning: "of severity warning or error", info: "of any severity" };

export function assertionText(op: AssertionOp, path: PathSeg[], operand: unknown, where?: Record<string, unknown>, thatText?: string): string {
  const p = formatPath(path) || "output";
  if (op === "that") return thatText ?? "that";
  if (op === "no-findings") return `${p}: no finding ${SEVERITY_TEXT[String(operand)]}`;
  if (op === "count") return countText(p, operand, where);
  if (op === "each") {
    const of = where ? `${p} where ${Object.entries(where).map(([k, v]) => `${k} == ${show(v)}`).join(" and ")}` : p;
    const tests = Object.entries(operand as object).map(([o, v]) => (o === "matches" ? `matches /${show(v)}/` : `${SYMBOL[o as AssertionOp]} ${show(v)}`));
    return `each of ${of} ${tests.join(" and ")}`;
  }
  if (op === "exists") return operand ? `${p} exists` : `${p} is absent`;
  if (op === "matches") return `${p} matches /${show(operand)}/`;
  if (op === "contains") return `${p} contains ${show(operand)}`;
  return `${p} ${SYMBOL[op]} ${show(operand)}`;
}


const RANK: Record<string, number> = { info: 0, warning: 1, error: 2 };
const MAX_SHOWN = 300;

export function showValue(v: unknown): string {
  const s = v === null || v === undefined ? "nothing (absent or null)" : typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v);
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}...` : s;
}

function bound(op: string, n: number, limit: number): boolean {
  switch (op) {
    case "equals":
      return n === limit;
    case "gt":
      return n > limit;
    case "gte":
      return n >= limit;
    case "lt":
      return n < limit;
    case "lte":
      return n <= limit;
    default:
      return false;
  }
}

/** One comparison (equals, not-equals, gt, gte, lt, lte, matches) of a value with an operand. */
function holds(op: string, value: unknown, operand: unknown): boolean {
  if (op === "equals") return looseEqual(value, operand);
  if (op === "not-equals") return !looseEqual(value, operand);
  if (op === "matches") return typeof value === "string" && new RegExp(String(operand)).test(value);
  return typeof value === "number" && bound(op, value, Number(operand));
}

function matchesWhere(item: unknown, where: Record<string, unknown>): boolean {
  return !!item && typeof item === "object" && Object.entries(where).every(([k, v]) => looseEqual((item as Record<string, unknown>)[k], v));
}

interface Finding {
  severity?: string;
  code?: string;
  message?: string;
  node?: string;
}

function findingText(f: Finding): string {
  return `${f.severity ?? "?"} ${f.code ?? "?"}${f.node ? ` at ${f.node}` : ""}: ${f.message ?? ""}`.trim();
}

/** Whether the assertion held, with what was found when it did not. */
function judge(a: CompiledAssertion, output: unknown, ctx: EvalContext): { ok: boolean; actual?: string } {
  if (a.op === "that") {
    const v = evaluate(a.that!, { ...ctx, output });
    return truthy(v) ? { ok: true } : { ok: false, actual: `it was ${showValue(v)}` };
  }
  const value = getPath(output, a.path);
  const operand = resolveDynamic(a.operand, ctx);
  const where = a.where ? (resolveDynamic(a.where, ctx) as Record<string, unknown>) : undefined;
  const found = { actual: `found ${showValue(value)}` };
  switch (a.op) {
    case "equals":
    case "not-equals":
    case "gt":
    case "gte":
    case "lt":
    case "lte":
    case "matches":
      return holds(a.op, value, operand) ? { ok: true } : { ok: false, ...found };
    case "contains":
      if (Array.isArray(value)) return value.some((x) => looseEqual(x, operand)) ? { ok: true } : { ok: false, ...found };
      return typeof value === "string" && value.includes(String(operand)) ? { ok: true } : { ok: false, ...found };
    case "exists":
      return (value !== null) === (operand === true) ? { ok: true } : { ok: false, ...found };
    case "count": {
      const items = Array.isArray(value) ? value : value && typeof value === "object" ? Object.values(value) : undefined;
      if (!items) return { ok: false, actual: `found ${showValue(value)}, not a list` };
      const n = where ? items.filter((x) => matchesWhere(x, where)).length : items.length;
      const ok =
        typeof operand === "number" || typeof operand === "string"
          ? n === Number(operand)
          : Object.entries(operand as Record<string, unknown>).every(([op, limit]) => bound(op, n, Number(limit)));
      return ok ? { ok: true } : { ok: false, actual: `found ${n}` };
    }
    case "each": {
      if (!Array.isArray(value)) return { ok: false, actual: `found ${showValue(value)}, not a list` };
      const items = where ? value.filter((x) => matchesWhere(x, where)) : value;
      const tests = Object.entries(operand as Record<string, unknown>);
      const i = items.findIndex((x) => !tests.every(([op, v]) => holds(op, x, v)));
      return i < 0 ? { ok: true } : { ok: false, actual: `item ${i} is ${showValue(items[i])}` };
    }
    case "no-findings": {
      if (!Array.isArray(value)) return { ok: false, actual: `found ${showValue(value)}, not a list of findings` };
      const bad = (value as Finding[]).filter((f) => (RANK[f.severity ?? ""] ?? 0) >= RANK[String(operand)]);
      if (bad.length === 0) return { ok: true };
      const shown = bad.slice(0, 3).map(findingText).join("; ");
      return { ok: false, actual: `found ${bad.length} finding${bad.length === 1 ? "" : "s"}: ${shown}${bad.length > 3 ? `; and ${bad.length - 3} more` : ""}` };
    }
  }
}

/** The assertion as reports show it, with values from other steps filled in. */
function shownText(a: CompiledAssertion, ctx: EvalContext): string {
  if (a.message || a.op === "that" || !a.text.includes("${{")) return a.text;
  const where = a.where ? (resolveDynamic(a.where, ctx) as Record<string, unknown>) : undefined;
  return assertionText(a.op, a.path, resolveDynamic(a.operand, ctx), where);
}

export function checkAssertion(a: CompiledAssertion, output: unknown, ctx: EvalContext): AssertionResult {
  try {
    const r = judge(a, output, ctx);
    return { text: shownText(a, ctx), ok: r.ok, ...(r.actual ? { actual: r.actual } : {}) };
  } catch (err) {
    return { text: a.text, ok: false, actual: `could not be judged: ${err instanceof Error ? err.message : String(err)}` };
  }
}
