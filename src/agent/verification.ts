/**
 * Reads a tool result as a verification: a successful output carrying `ok` and
 * `findings` (cluster_create, cluster_check, later replication/sentinel checks), or
 * an error with code verification_failed. Pure: result in, verdict out.
 */
import type { Finding } from "../checks/finding.js";
import type { InvokeResult } from "../registry/invoke.js";

export interface Verification {
  ok: boolean;
  findings: Finding[];
  /** The failed check, in one sentence with its next step (only when !ok). */
  failure?: string;
}

const isFinding = (f: unknown): f is Finding =>
  !!f && typeof f === "object" && typeof (f as Finding).code === "string" && typeof (f as Finding).message === "string";

function firstFailure(findings: Finding[], fallback: string): string {
  const f = findings.find((x) => x.severity === "error");
  if (!f) return fallback;
  const more = findings.filter((x) => x.severity === "error").length - 1;
  return `${f.code}: ${f.message} Next: ${f.next}${more > 0 ? ` (and ${more} more error finding${more > 1 ? "s" : ""})` : ""}`;
}

/** undefined when the result is not a verification (a lab start, a dry run, a plain failure). */
export function readVerification(result: InvokeResult, dryRun: boolean): Verification | undefined {
  if (result.ok) {
    const { ok, findings } = result.output as { ok?: unknown; findings?: unknown };
    if (dryRun || typeof ok !== "boolean" || !Array.isArray(findings)) return undefined;
    const list = findings.filter(isFinding);
    return ok ? { ok, findings: list } : { ok, findings: list, failure: firstFailure(list, result.summary) };
  }
  if (result.error.code !== "verification_failed") return undefined;
  const details = result.error.details;
  const list = Array.isArray(details) ? details.filter(isFinding) : [];
  return { ok: false, findings: list, failure: firstFailure(list, `${result.error.message} Next: ${result.error.next}`) };
}
