/**
 * CLUSTER COUNTKEYSINSLOT for many slots on one node, pipelined, as every slot scan and
 * key-aware plan reads it. A busy node (a long command, a fork, a paused process) can let
 * the whole pipeline time out: the read is retried on a fresh connection with backoff
 * (it changes nothing, so retrying is safe), then it stops with NodeBusyError, whose next
 * step names the tool that asked. A reply error the server gives at once is not retried.
 */
import { CancelledError, NodeBusyError, PilotError, errorMessage } from "../../errors.js";
import { toPilotError, type NodePool } from "../../redis/connection.js";
import { backoffDelay, classify, type Backoff } from "./retry.js";

export interface CountOptions {
  /** The tool whose next step the error names. @default "cluster_fix" */
  tool?: string;
  /** Whether that tool takes timeoutMs. */
  timeoutArg?: boolean;
  /** @default { attempts: 3, firstMs: 250, maxMs: 2000 } */
  backoff?: Backoff;
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Why one attempt failed in a way worth retrying, or undefined (then it is thrown as it is). */
function busyReason(err: unknown, pool: NodePool, address: string): string | undefined {
  const e = toPilotError(address, err, pool.optionsFor(address));
  if (e instanceof PilotError && e.code === "timeout") return `no reply within ${pool.optionsFor(address).commandTimeoutMs ?? 5000} ms`;
  if (!(e instanceof PilotError) && classify(e) === "retry") return errorMessage(e).split("\n")[0];
  return undefined;
}

async function countOnce(pool: NodePool, address: string, slots: number[]): Promise<number[]> {
  const p = (await pool.get(address)).pipeline();
  for (const s of slots) p.call("CLUSTER", "COUNTKEYSINSLOT", String(s));
  const replies = (await p.exec()) ?? [];
  return replies.map(([err, v]) => {
    if (err) throw err;
    return Number(v);
  });
}

/** Keys in each of `slots` on `address`, in the same order. */
export async function countKeysOn(pool: NodePool, address: string, slots: number[], o: CountOptions = {}): Promise<number[]> {
  if (!slots.length) return [];
  const b = { attempts: 3, firstMs: 250, maxMs: 2000, ...o.backoff };
  for (let attempt = 0; ; attempt++) {
    try {
      return await countOnce(pool, address, slots);
    } catch (err) {
      const why = busyReason(err, pool, address);
      if (why === undefined) {
        const e = toPilotError(address, err, pool.optionsFor(address));
        throw e instanceof PilotError ? e : new Error(`COUNTKEYSINSLOT on ${address}: ${errorMessage(e)}`);
      }
      // The old connection may still owe thousands of replies: start the next try clean.
      pool.forget(address);
      if (attempt + 1 >= b.attempts) throw new NodeBusyError(address, `CLUSTER COUNTKEYSINSLOT for ${slots.length} slot(s)`, why, b.attempts, { tool: o.tool ?? "cluster_fix", timeoutArg: o.timeoutArg });
      if (o.signal?.aborted) throw new CancelledError();
      await sleep(backoffDelay(attempt, b));
    }
  }
}
