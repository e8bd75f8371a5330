/**
 * Moves the slots of one (source, target) pair, key by key, in the safe per-slot order
 * redis-cli uses: IMPORTING on the target, MIGRATING on the source, MIGRATE the keys,
 * SETSLOT NODE on the target, then the source, then every other master. What redis-cli
 * pays as round trips per slot is paid here per batch of slots: each step is one
 * pipeline for the whole batch, and several batches are in flight at once, so while the
 * source runs one batch's MIGRATEs the next batch is being marked and listed. Per slot the
 * order holds: a batch's step starts only after its previous step was acknowledged.
 */
import type { Redis } from "ioredis";
import type { NodePool } from "../../redis/connection.js";
import { errorMessage } from "../../errors.js";
import { execAll, KeyMover } from "./key-mover.js";
import { bare, SlotMoveError } from "./errors.js";
import type { BatchLimits } from "./migrate-batches.js";
import { classify, withRetry, backoffDelay } from "./retry.js";
import { commandRefused, scanSlots, type ScanOptions } from "./source-scan.js";
import { scriptMove } from "./script-move.js";
import { timeoutFor } from "./migrate-batches.js";
import { keysFromInfo, parseInfo } from "../../redis/parse-info.js";

export interface LaneNode {
  id: string;
  address: string;
  /** Where the source's MIGRATE connects to reach this node. */
  busIp: string;
  port: number;
}

export interface LaneSpec {
  from: LaneNode;
  to: LaneNode;
  /** Every other master: told the new owner last. */
  others: LaneNode[];
  slots: number[];
}

export interface BatchDone {
  slots: number[];
  keys: number;
  bytes: number;
}

export interface LaneOptions {
  /** Slots per batch. @default 128 */
  batchSlots?: number;
  /** Batches in flight. @default 4 */
  window?: number;
  /** Keys listed per slot and round (GETKEYSINSLOT count). @default 1000 */
  scanCount?: number;
  /**
   * Measure every key's size (MEMORY USAGE) to cut MIGRATE batches by bytes: "auto" does
   * it when the source's dataset averages at least largeKeyBytes a key (INFO memory and
   * keyspace); otherwise each key counts as that average. @default "auto"
   */
  sizeKeys?: "auto" | "always" | "never";
  /** @default 512 */
  largeKeyBytes?: number;
  /** Run MIGRATING + MIGRATE of a batch inside the source with one EVAL where safe (script-move.ts). @default true */
  serverSide?: boolean;
  limits?: BatchLimits;
  /** MIGRATE's AUTH / AUTH2 arguments for the target; never logged. */
  migrateAuth?: string[];
  /** On BUSYKEY with different data, keep the source's copy. @default false */
  replace?: boolean;
  /** Stop starting batches once aborted; batches in flight finish, so no slot stays open. */
  signal?: AbortSignal;
  onBatch?: (done: BatchDone) => void;
  /** Called when a master other than source and target refused SETSLOT NODE (gossip tells it later). */
  onWarning?: (message: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_ROUNDS = 50;

/** Runs the commands; the first error (other than those `ok` accepts) fails the whole step. */
async function expectOk(client: Redis, commands: (string | Buffer)[][], ok: (err: Error) => boolean = () => false): Promise<void> {
  const replies = await execAll(client, commands);
  const failed = replies.find(([err]) => err && !ok(err));
  if (failed) throw bare(failed[0]);
}

const setslot = (slot: number, ...rest: string[]) => ["CLUSTER", "SETSLOT", String(slot), ...rest];

export class Lane {
  private readonly o: Required<Omit<LaneOptions, "signal" | "onBatch" | "onWarning" | "limits" | "migrateAuth">> & LaneOptions;
  private scanOpts: ScanOptions = { count: 1000 };
  private scriptRefused = false;

  /** Steps 2-3 in one EVAL: only for small keys (not measured), without MIGRATE AUTH, and where EVAL is allowed. */
  private serverSide(): boolean {
    return this.o.serverSide !== false && !this.scriptRefused && !this.scanOpts.sizes && !(this.o.migrateAuth ?? []).length;
  }

  constructor(
    private readonly spec: LaneSpec,
    private readonly pool: NodePool,
    options: LaneOptions = {},
  ) {
    this.o = { batchSlots: 128, window: 4, scanCount: 1000, replace: false, sizeKeys: "auto", largeKeyBytes: 512, serverSide: true, ...options };
  }

  /** Whether to measure key sizes, from the source's average bytes per key. */
  private async sizing(): Promise<ScanOptions> {
    const count = this.o.scanCount;
    if (this.o.sizeKeys === "always") return { count, sizes: true };
    const src = await this.pool.get(this.spec.from.address);
    const info = parseInfo(String(await src.call("INFO", "memory", "keyspace")));
    const keys = keysFromInfo(info);
    const dataset = Number(info.memory?.values.used_memory_dataset ?? 0);
    const average = keys > 0 ? Math.ceil(dataset / keys) : 0;
    return { count, sizes: this.o.sizeKeys === "auto" && average >= this.o.largeKeyBytes, estimate: average };
  }

  private fail(slot: number, what: unknown): SlotMoveError {
    return new SlotMoveError(slot, this.spec.from.address, this.spec.to.address, errorMessage(what));
  }

  /**
   * Moves every slot; resolves with the slots moved (all of them unless cancelled). The
   * window counts batches that have not finished their MIGRATEs: a batch closing its
   * slots (SETSLOT NODE) no longer holds a place, so the source always has the next
   * batch's listing and MIGRATEs queued behind the current one and never waits for us.
   */
  async run(): Promise<number[]> {
    const { slots } = this.spec;
    const moved: number[] = [];
    this.scanOpts = await this.sizing();
    const all: Promise<void>[] = [];
    let migrating = 0;
    let wake: (() => void) | undefined;
    let failure: unknown;
    for (let i = 0; i < slots.length && failure === undefined && !this.o.signal?.aborted; i += this.o.batchSlots) {
      const batch = slots.slice(i, i + this.o.batchSlots);
      migrating++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        migrating--;
        wake?.();
      };
      all.push(
        this.moveBatch(batch, release).then(
          (done) => {
            moved.push(...batch);
            this.o.onBatch?.(done);
          },
          (err) => {
            failure ??= err;
            release();
          },
        ),
      );
      while (migrating >= this.o.window && failure === undefined) await new Promise<void>((r) => (wake = r));
    }
    await Promise.all(all);
    if (failure !== undefined) throw failure;
    return moved;
  }

  private mover(src: Redis, dst: Redis): KeyMover {
    return new KeyMover(src, dst, this.spec.from, this.spec.to, {
      scan: this.scanOpts,
      limits: this.o.limits,
      auth: this.o.migrateAuth ?? [],
      replace: this.o.replace,
      fail: (slot, what) => this.fail(slot, what),
    });
  }

  private async moveBatch(slots: number[], release: () => void): Promise<BatchDone> {
    const { from, to, others } = this.spec;
    const [src, dst] = await Promise.all([this.pool.get(from.address), this.pool.get(to.address)]);
    // 1. The target accepts the slots' keys before the source starts sending clients there.
    await withRetry(() => expectOk(dst, slots.map((s) => setslot(s, "IMPORTING", from.id))));
    // 2-3 inside the server where that is safe (small keys, no MIGRATE credentials): see script-move.ts.
    let rest = slots;
    let keys = 0;
    let bytes = 0;
    if (this.serverSide()) {
      try {
        const r = await scriptMove(src, slots, { to: to.id, host: to.busIp, port: to.port, timeoutMs: timeoutFor(0, this.o.limits), count: Math.min(this.o.limits?.maxKeys ?? 1000, this.o.scanCount) });
        const done = new Set(r.done.map((d) => d.slot));
        keys = r.done.reduce((n, d) => n + d.keys, 0) + (r.stopped?.keys ?? 0);
        bytes = keys * (this.scanOpts.estimate ?? 0);
        rest = slots.filter((s) => !done.has(s));
      } catch (err) {
        if (!commandRefused(err)) throw this.fail(slots[0], err);
        this.scriptRefused = true;
      }
    }
    // 2. The source redirects new keys to the target (ASK) and lists what it holds.
    const mover = this.mover(src, dst);
    if (rest.length) {
      const scan = await withRetry(() => scanSlots(src, rest, { ...this.scanOpts, migratingTo: to.id }));
      const refused = scan.find((r) => r.error);
      if (refused) throw this.fail(refused.slot, refused.error);
      // 3. MIGRATE until every slot is empty on the source.
      const moved = await mover.migrate(scan);
      keys += moved.keys;
      bytes += moved.bytes;
    }
    release();
    // 4-6. The new owner first, then the old one (which checks it holds no key), then the rest.
    await withRetry(() => expectOk(dst, slots.map((s) => setslot(s, "NODE", to.id))));
    await this.closeOnSource(src, mover, slots);
    await Promise.all(
      others.map(async (n) => {
        try {
          await expectOk(await this.pool.get(n.address), slots.map((s) => setslot(s, "NODE", to.id)));
        } catch (err) {
          this.o.onWarning?.(`${n.address} did not take SETSLOT NODE for ${slots.length} slot(s) (${errorMessage(err)}); it learns the new owner from gossip.`);
        }
      }),
    );
    return { slots, keys, bytes };
  }

  /**
   * SETSLOT NODE on the source. It refuses while the source still holds a key of the slot,
   * which after step 3 means a key appeared since (a script, a replica's stray write):
   * move it (the target owns the slot now and takes RESTORE-ASKING) and ask again.
   */
  private async closeOnSource(src: Redis, mover: KeyMover, slots: number[]): Promise<void> {
    const { to } = this.spec;
    let open = slots;
    for (let round = 0; open.length > 0; round++) {
      const replies = await execAll(src, open.map((s) => setslot(s, "NODE", to.id)));
      const holding = open.filter((_, i) => replies[i][0] && /still hold keys/i.test(errorMessage(replies[i][0])));
      const other = replies.find(([err], i) => err && !holding.includes(open[i]));
      if (other) {
        const i = replies.indexOf(other);
        if (classify(other[0]) !== "retry" || round >= MAX_ROUNDS) throw this.fail(open[i], bare(other[0]));
        await sleep(backoffDelay(round));
        continue;
      }
      if (holding.length === 0) return;
      if (round >= MAX_ROUNDS) throw this.fail(holding[0], "the source kept holding keys of the slot");
      await mover.migrate(await mover.rescan(holding));
      open = holding;
    }
  }
}
