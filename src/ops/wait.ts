/** Polls a condition until it holds, the deadline passes, or the operation is cancelled. */
import { setTimeout as sleep } from "node:timers/promises";
import { CancelledError, TimeoutError } from "../errors.js";

export interface WaitOptions {
  /** What is awaited, for the timeout's sentence ("replica 127.0.1.2:7001 in sync"). */
  what: string;
  timeoutMs: number;
  /** @default 20 */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Message for a cancel. */
  cancelled?: string;
}

/** Calls check until it returns a value other than undefined; errors from check propagate. */
export async function waitFor<T>(check: () => Promise<T | undefined>, o: WaitOptions): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    if (o.signal?.aborted) throw new CancelledError(o.cancelled ?? `Cancelled while waiting for ${o.what}.`);
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() >= deadline) throw new TimeoutError(o.what, o.timeoutMs);
    await sleep(o.intervalMs ?? 20);
  }
}
