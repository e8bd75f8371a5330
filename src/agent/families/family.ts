/**
 * What a request family is: one file in src/agent/families/ says which requests it
 * takes (match), what it reads out of them (extract), which registry tools it needs,
 * how it plans the next calls from the results so far (plan), and what "done and
 * verified" means (verify). The built-in planner knows families only through this
 * shape and the list in index.ts, so adding one is one file, its list line and its
 * table tests.
 */
import type { AnyTool } from "../../registry/tool.js";
import type { Refusal, Where } from "../intent.js";
import type { CallOutcome } from "../planner.js";
import type { Reading } from "../reading.js";

/** Common to every family's intent: which family, where, and the defaults it chose (shown to the user). */
export interface BaseIntent {
  family: string;
  where: Where;
  assumed: string[];
}

/** One tool call a plan asks for. */
export interface Step {
  tool: string;
  args: Record<string, unknown>;
}

/** What the run gives every plan. */
export interface PlanEnv {
  /** A dry run: mutating calls only plan, calls on a planned lab are not run; say "would". */
  dryRun: boolean;
  /** The name for a lab the plan starts when the request named none (fixed for the run). */
  newLab: string;
  tools: readonly AnyTool[];
}

/** A plan's answer: the next call (with its plan text the first time), done, or why not. */
export type Next =
  | { call: Step; text?: string }
  | { done: string }
  /** The request cannot go on as asked (e.g. several labs and none named); nothing was changed by it. */
  | { refuse: string; reason: string }
  /** Calls ran, and what they showed ends the run (e.g. a count the request expected does not hold). */
  | { stop: string; reason: string };

export interface Family<I extends BaseIntent = BaseIntent> {
  /** snake_case, also the intent's `family`. */
  name: I["family"];
  /** What the user asked for, as a noun phrase that starts a sentence ("Creating a Redis Cluster"). */
  doing: string;
  /** A request of this family, for suggestions ("create a 6-node cluster with 3 masters"). */
  example: string;
  /**
   * look: only reads (a question may be answered by it); change: starts, stops or
   * changes something. A question never goes to a change family.
   */
  effect: "look" | "change";
  /** Registry tools its plan calls; all must be in the registry, or the answer is "not supported yet". */
  tools: readonly string[];
  /** Words that name this family's action, so other families know an action stands between their verb and noun. */
  verbs?: RegExp;
  /** Claims a request (families are asked in list order; the first that matches takes it). */
  match?(r: Reading): boolean;
  /** Claims a request no family's match took (nouns and counts without an action word); asked in list order. */
  fallback?(r: Reading): boolean;
  /** Request parts (ids from request-parts.ts) this family honours by its nature, e.g. lab_list and "clusters". */
  honours?: readonly string[];
  /** extract reads the facts of the lab the request names (the planner reads them first: lab store, INFO). */
  readsLab?: boolean;
  /** The intent, or a refusal that says why and what would work. Marks every number and part it uses as placed. */
  extract(r: Reading): I | Refusal;
  /** The next call from the results so far (every earlier outcome, in order); absent: the built-in planner cannot run it yet. */
  plan?(intent: I, history: readonly CallOutcome[], env: PlanEnv): Next;
  /**
   * What "done and verified" means: the call whose passing verification proves the
   * change (re-reads the servers, runs the checks). The planner issues it when the
   * plan is done and no call in verifiedBy passed since the last change. Reads leave it out.
   */
  verify?(intent: I, history: readonly CallOutcome[], env: PlanEnv): Step;
  /** Tools whose passing verification counts (default: verify's tool), e.g. cluster_create, which checks before it returns. */
  verifiedBy?: readonly string[];
}

/** Identity with inference, so each family file reads as one typed literal. */
export function defineFamily<I extends BaseIntent>(family: Family<I>): Family<I> {
  return family;
}

export type AnyFamily = Family<BaseIntent>;
