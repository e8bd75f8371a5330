/**
 * Which server errors a migration waits out and which stop it. TRYAGAIN, CLUSTERDOWN,
 * LOADING, ASK and BUSY (a script running) pass by themselves, so the step is retried with
 * backoff; IOERR from MIGRATE (the target was slow or the link dropped) too, with a longer
 * timeout. MIGRATE prefixes the target's own error ("ERR Target instance replied with
 * error: BUSYKEY ..."); the code is read after that prefix.
 */
import { errorMessage } from "../../errors.js";

export type ErrorKind = "retry" | "ioerr" | "busykey" | "fatal";

const TARGET_PREFIX = /^ERR Target instance replied with error: /;

/** The server's error code (first word), looking through MIGRATE's target prefix. */
export function replyCode(err: unknown): string {
  const text = errorMessage(err).replace(TARGET_PREFIX, "");
  return text.split(/\s/, 1)[0];
}

export function classify(err: unknown): ErrorKind {
  const code = replyCode(err);
  if (code === "BUSYKEY") return "busykey";
  if (code === "IOERR") return "ioerr";
  if (["TRYAGAIN", "CLUSTERDOWN", "LOADING", "ASK", "BUSY", "MASTERDOWN"].includes(code)) return "retry";
  return "fatal";
}

export interface Backoff {
  /** First delay, doubled each attempt up to maxMs. @default 10 */
  firstMs?: number;
  /** @default 1000 */
  maxMs?: number;
  /** Attempts in all (the first included). @default 10 */
  attempts?: number;
}

export function backoffDelay(attempt: number, b: Backoff = {}): number {
  return Math.min((b.firstMs ?? 10) * 2 ** attempt, b.maxMs ?? 1000);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs fn until it succeeds, a non-retryable error is thrown, or the attempts run out
 * (then the last error is thrown). fn gets the attempt number (0-based).
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, b: Backoff = {}, retryable: (err: unknown) => boolean = (e) => classify(e) === "retry" || classify(e) === "ioerr"): Promise<T> {
  const attempts = b.attempts ?? 10;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt + 1 >= attempts || !retryable(err)) throw err;
      await sleep(backoffDelay(attempt, b));
    }
  }
}
