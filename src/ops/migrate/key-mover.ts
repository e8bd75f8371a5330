/**
 * Moves the keys of some slots from one node to another with MIGRATE, until the source
 * holds none of them: each slot's keys in batches cut by count and bytes, then
 * COUNTKEYSINSLOT in the same pipeline to see what is left, and another round for what
 * is (more keys than one listing returns, a retried IOERR with a doubled timeout, keys
 * settled after BUSYKEY). Used by the lanes of a migration and by slot repairs; a repair
 * moving keys off a node that does not own the slot sends ASKING before each MIGRATE.
 */
import type { Redis } from "ioredis";
import { resolveConflicts } from "./busykey.js";
import { bare } from "./errors.js";
import { batchKeys, timeoutFor, type BatchLimits } from "./migrate-batches.js";
import { backoffDelay, classify, withRetry } from "./retry.js";
import { scanSlots, type ScanOptions, type SlotKeys } from "./source-scan.js";

export interface Endpoint {
  address: string;
  /** Where MIGRATE connects to reach it. */
  busIp: string;
  port: number;
}

export interface KeyMoverOptions {
  scan: ScanOptions;
  limits?: BatchLimits;
  /** MIGRATE's AUTH / AUTH2 arguments for the target; never logged. */
  auth: string[];
  /** On BUSYKEY with different data, keep the source's copy. */
  replace: boolean;
  /** Send ASKING before each MIGRATE (the source is importing the slot, not owning it). */
  asking?: boolean;
  /** Raised with the slot and the reason when a slot cannot be emptied. */
  fail: (slot: number, what: unknown) => Error;
}

const MAX_ROUNDS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function execAll(client: Redis, commands: (string | Buffer)[][]): Promise<[Error | null, unknown][]> {
  const p = client.pipeline();
  for (const c of commands) p.callBuffer(c[0] as string, ...c.slice(1));
  return ((await p.exec()) ?? []) as [Error | null, unknown][];
}

export class KeyMover {
  constructor(
    readonly src: Redis,
    readonly dst: Redis,
    readonly from: Endpoint,
    readonly to: Endpoint,
    readonly o: KeyMoverOptions,
  ) {}

  async rescan(slots: number[], extra: Partial<ScanOptions> = {}): Promise<SlotKeys[]> {
    try {
      return await withRetry(() => scanSlots(this.src, slots, { ...this.o.scan, asking: this.o.asking, ...extra }));
    } catch (err) {
      throw this.o.fail(slots[0], bare(err));
    }
  }

  /** Empties the listed slots on the source; returns the keys and bytes moved. */
  async migrate(scan: SlotKeys[]): Promise<{ keys: number; bytes: number }> {
    const { to } = this;
    let pending = scan.filter((r) => r.keys.length > 0);
    let keys = 0;
    let bytes = 0;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw this.o.fail(pending[0].slot, `keys were still left after ${MAX_ROUNDS} MIGRATE rounds`);
      const commands: (string | Buffer)[][] = [];
      const plan = pending.map((r) => {
        const cut = batchKeys(r.keys, r.sizes, this.o.limits).map((b) => {
          // A slot retried after IOERR gets a doubled timeout each round.
          const timeout = b.timeoutMs * 2 ** Math.min(round, 4);
          if (this.o.asking) commands.push(["ASKING"]);
          commands.push(["MIGRATE", to.busIp, String(to.port), "", "0", String(timeout), ...this.o.auth, "KEYS", ...b.keys]);
          return { n: b.keys.length, bytes: b.bytes };
        });
        commands.push(["CLUSTER", "COUNTKEYSINSLOT", String(r.slot)]);
        return { r, cut };
      });
      const replies = await execAll(this.src, commands).catch((err) => {
        throw this.o.fail(pending[0].slot, bare(err));
      });
      let at = 0;
      const again: number[] = [];
      const conflicts = new Set<number>();
      let wait = false;
      for (const { r, cut } of plan) {
        let redo = false;
        for (const c of cut) {
          if (this.o.asking) at++;
          const [err] = replies[at++];
          if (!err) {
            keys += c.n;
            bytes += c.bytes;
            continue;
          }
          const kind = classify(err);
          if (kind === "fatal") throw this.o.fail(r.slot, bare(err));
          if (kind === "busykey") conflicts.add(r.slot);
          else wait = true;
          redo = true;
        }
        const [cerr, left] = replies[at++];
        if (cerr) throw this.o.fail(r.slot, bare(cerr));
        if (redo || Number(left) > 0) again.push(r.slot);
      }
      if (wait) await sleep(backoffDelay(round, { maxMs: 500 }));
      for (const slot of conflicts) {
        const [left] = await this.rescan([slot], { sizes: true });
        keys += await resolveConflicts(slot, left.keys, {
          src: this.src,
          dst: this.dst,
          host: to.busIp,
          port: to.port,
          auth: this.o.auth,
          timeoutMs: timeoutFor(left.sizes.reduce((a, b) => a + b, 0), this.o.limits),
          replace: this.o.replace,
          asking: this.o.asking,
          names: { from: this.from.address, to: to.address },
        });
      }
      pending = again.length ? (await this.rescan(again)).filter((r) => r.keys.length > 0) : [];
    }
    return { keys, bytes };
  }
}
