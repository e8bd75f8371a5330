/**
 * What the built-in planner understood from a request: where, a cluster layout, or a
 * refusal with its reason. Each family's intent is declared in its own file
 * (src/agent/families/); the union of them is derived in families/index.ts.
 */

/** Where to act; empty means "a new lab" for create requests and "ask" otherwise. */
export interface Where {
  lab?: string;
  target?: string;
  nodes?: string[];
}

export interface ClusterLayout {
  masters: number;
  /** Replicas per master. */
  replicasPerMaster: number;
  /** masters * (1 + replicasPerMaster). */
  nodes: number;
  /** Lab zones (loopback subnets); 1 = no zones. */
  zones: number;
}

export interface Refusal {
  family: "refusal";
  /**
   * impossible: the numbers contradict; ambiguous: several readings; unknown: no family
   * matched; unhonoured: a part of the request (a second cluster, a number) would be
   * dropped; question: a question that only a change could answer.
   */
  reason: "impossible" | "ambiguous" | "unknown" | "unhonoured" | "question";
  /** One sentence: why. */
  message: string;
  /** One sentence: what would work instead. */
  suggestion: string;
}

export const refuse = (reason: Refusal["reason"], message: string, suggestion: string): Refusal => ({
  family: "refusal",
  reason,
  message,
  suggestion,
});

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The verb that agrees with a count: are(1) = "is", are(2) = "are"; does(1) = "does", does(2) = "do". */
export const are = (n: number): string => (n === 1 ? "is" : "are");
export const does = (n: number): string => (n === 1 ? "does" : "do");
