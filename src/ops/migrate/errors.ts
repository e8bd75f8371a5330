/** Errors a migration raises that a user can act on. */
import { PilotError, errorMessage, quoted } from "../../errors.js";
import { argRef, toolRef } from "../../registry/words.js";

/**
 * A server reply error without ioredis's `command` field: that field repeats the
 * command's arguments, and a MIGRATE carries the target's password (AUTH / AUTH2).
 */
export function bare(err: unknown): Error {
  return err instanceof PilotError ? err : new Error(errorMessage(err));
}

export class DataConflictError extends PilotError {
  constructor(slot: number, key: string, from: string, to: string) {
    super(
      "data_conflict",
      `Key ${quoted(key)} (slot ${slot}) exists on both ${from} and ${to} with different values; it was not overwritten and slot ${slot} is left open.`,
      `Compare the two (DUMP on ${from}; ASKING then DUMP on ${to}), delete the copy you do not want, then run ${toolRef("cluster_fix")}; or run it again with ${argRef("replace", "true")} to keep ${from}'s.`,
    );
  }
}

export class SlotMoveError extends PilotError {
  constructor(slot: number, from: string, to: string, what: string) {
    super(
      "slot_move_failed",
      `Moving slot ${slot} from ${from} to ${to} failed: ${what}.`,
      `Run ${toolRef("cluster_check")} to see which slots are open, then ${toolRef("cluster_fix")} to finish or undo them (the journal says which were planned).`,
    );
  }
}

export class ClusterNotStableError extends PilotError {
  constructor(message: string, findings: unknown[]) {
    super(
      "cluster_not_stable",
      message,
      `Wait a few seconds for gossip to settle and retry; if it stays, run ${toolRef("cluster_check")}, then ${toolRef("cluster_fix")} for open or uncovered slots.`,
      findings,
    );
  }
}
