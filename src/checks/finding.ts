/** A finding is one thing a check saw: what, where, how bad, and what to do about it. */
export type Severity = "error" | "warning" | "info";

export interface Finding {
  severity: Severity;
  /** Stable snake_case code, e.g. "slots_uncovered", "open_slot", "node_failed". */
  code: string;
  /** One line, naming the node/slot involved. */
  message: string;
  /** The suggested next step. */
  next: string;
  /** Address (host:port) of the node the finding is about, when it is about one. */
  node?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "error");
}
