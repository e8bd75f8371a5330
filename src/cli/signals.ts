/**
 * SIGINT, SIGTERM and SIGHUP all stop a CLI run the same way: the first one aborts the
 * run's signal, so the operation stops at its next safe point and puts back what it must
 * (cluster create restores the settings it lowered; the agent removes the labs it
 * started); a second one exits at once. `timeout`, CI runners and systemd stop things
 * with SIGTERM, a closed terminal sends SIGHUP. What no handler sees (SIGKILL) is left to
 * the settings journal and `cluster fix`.
 */
import { constants } from "node:os";

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The shell's exit code for a run ended by a signal: 128 + its number (130 for SIGINT). */
export const signalExitCode = (s: StopSignal): number => 128 + constants.signals[s];

function say(line: string): void {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // A hung-up terminal: nothing to tell.
  }
}

export interface StopStages {
  /**
   * A run with clean-up steps of its own (a runbook's cleanup): the first signal stops the
   * run and lets the clean-up go, the second aborts this too, a third exits at once.
   */
  cleanup?: AbortController;
}

/** Runs fn with a signal that the first stop signal aborts; says which signal stopped it, if one did. */
export async function untilStopped<T>(fn: (signal: AbortSignal) => Promise<T>, stages: StopStages = {}): Promise<{ value: T; stoppedBy?: StopSignal }> {
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const handlers = STOP_SIGNALS.map((s) => {
    const handler = () => {
      if (stoppedBy && stages.cleanup && !stages.cleanup.signal.aborted) {
        say(`redis-pilot: ${s} again, stopping the clean-up too (send it again to exit at once).`);
        stages.cleanup.abort();
        return;
      }
      if (stoppedBy) {
        say(`redis-pilot: ${s} again, exiting now without finishing the clean-up.`);
        process.exit(signalExitCode(s));
      }
      stoppedBy = s;
      say(`redis-pilot: ${s} received, stopping at the next safe point${stages.cleanup ? "; the clean-up steps still run (send it again to stop them too)" : " (send it again to exit at once)"}.`);
      controller.abort();
    };
    process.on(s, handler);
    return [s, handler] as const;
  });
  try {
    return { value: await fn(controller.signal), ...(stoppedBy ? { stoppedBy } : {}) };
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}
