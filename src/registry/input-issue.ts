/**
 * A zod input issue as one sentence a model or a person can act on: which argument is
 * wrong and what was allowed ("nodes must be at most 64"), instead of zod's own text
 * ("Too big: expected number to be <=64"). Pure: issue and raw input in, words out.
 * The value itself is never echoed: it may be a password.
 */
import type { z } from "zod";

type Issue = z.core.$ZodIssue;

/** "nodes", "nodes[1]", "zones.a": how the argument reads in the call. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === "number" ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), "");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
}

const TYPE_NAMES: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "number" && !Number.isInteger(value)) return "a fraction";
  return TYPE_NAMES[typeof value] ?? typeof value;
}

function bound(issue: { origin: string; inclusive?: boolean }, limit: unknown, big: boolean): string {
  const n = Number(limit);
  if (issue.origin === "array" || issue.origin === "set") return `must have ${big ? "at most" : "at least"} ${n} item${n === 1 ? "" : "s"}`;
  if (issue.origin === "string") return `must be ${big ? "at most" : "at least"} ${n} character${n === 1 ? "" : "s"} long`;
  if (issue.inclusive === false) return `must be ${big ? "below" : "above"} ${n}`;
  return `must be ${big ? "at most" : "at least"} ${n}`;
}

/** What was allowed, as the rest of a sentence that starts with the argument's name. */
export function allowed(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case "invalid_type": {
      const want = TYPE_NAMES[issue.expected] ?? issue.expected;
      const got = valueAt(input, issue.path);
      return got === undefined ? `is required (${want})` : `must be ${want}, not ${kindOf(got)}`;
    }
    case "too_big":
      return bound(issue, issue.maximum, true);
    case "too_small":
      return bound(issue, issue.minimum, false);
    case "invalid_value":
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      return `must be a valid ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    case "unrecognized_keys":
      return `has unknown argument${issue.keys.length === 1 ? "" : "s"} ${issue.keys.join(", ")}`;
    case "invalid_union":
      return "matches none of the accepted forms";
    default:
      return `is invalid (${issue.message.replace(/\.$/, "")})`;
  }
}

/** One sentence for the first issue, counting the rest, e.g. "nodes must be at most 64 (and 1 more problem)". */
export function describeIssues(issues: readonly Issue[], input: unknown): { field: string; sentence: string } {
  const first = issues[0];
  const field = first.code === "unrecognized_keys" || first.path.length === 0 ? "(arguments)" : issuePath(first.path);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return { field, sentence: `${field} ${allowed(first, input)}${more}` };
}
