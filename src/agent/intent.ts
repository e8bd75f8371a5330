/** What the built-in planner understood from a request: an intent to act on, or a refusal with its reason. */

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

/** Common to every intent: where, and the defaults the parser chose (shown to the user). */
interface Base {
  where: Where;
  assumed: string[];
}

export type Intent =
  /** inExistingLab: where.lab names a lab that already runs; the plan uses its nodes. */
  | (Base & { family: "create_cluster"; layout: ClusterLayout; inExistingLab?: boolean })
  | (Base & { family: "check_cluster" })
  | (Base & { family: "cluster_info" })
  | (Base & { family: "lab_list" })
  | (Base & { family: "lab_down" })
  | (Base & { family: "node_fault" })
  | (Base & { family: "fix_cluster" })
  | (Base & { family: "rebalance" })
  | (Base & { family: "failover" })
  | (Base & { family: "reshard"; slots?: number })
  | (Base & { family: "add_node"; count: number; role: "master" | "replica" })
  | (Base & { family: "remove_node"; count: number })
  | (Base & { family: "add_replicas"; count: number })
  | (Base & { family: "replication"; replicas: number; zones: number })
  | (Base & { family: "sentinel"; sentinels: number; quorum: number; replicas: number; zones: number });

export type Family = Intent["family"];

export interface Refusal {
  family: "refusal";
  /** impossible: the numbers contradict; ambiguous: several readings; unknown: no family matched. */
  reason: "impossible" | "ambiguous" | "unknown";
  /** One sentence: why. */
  message: string;
  /** One sentence: what would work instead. */
  suggestion: string;
}

export type ParseResult = Intent | Refusal;

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
