/**
 * A drill's history, in Jepsen's shape: every operation is an `invoke` followed by one
 * completion (`ok`, `fail` when it surely did not happen, `info` when its outcome is
 * unknown), each with the time it was seen. Events (a kill, a failover, a slot move)
 * mark the timeline. The drill only records; src/drills/checker.ts judges, purely.
 */

/** What an operation did: SET a key, GET a key, or the final read of every written key. */
export type OpFunction = "write" | "read" | "final-read";

export type OpType = "invoke" | "ok" | "fail" | "info";

export interface HistoryOp {
  /** Pairs an invoke with its completion. */
  id: number;
  /** The worker that ran it (a writer or reader number); one op in flight per process. */
  process: number;
  type: OpType;
  f: OpFunction;
  /** Milliseconds since the history started. */
  time: number;
  key?: string;
  /**
   * write: the value written (invoke and completion); read: the value read (ok), null
   * when the key did not exist; final-read: key -> value for every key read back.
   */
  value?: number | null | Record<string, number | null>;
  /** The node that served the operation (host:port), when the client can tell. */
  node?: string;
  /** Why a fail or info ended as it did (the error's message). */
  error?: string;
}

export interface HistoryEvent {
  /** Milliseconds since the history started. */
  time: number;
  /** Machine-readable: "kill", "failover-start", "failover-done", "switch-master", "slot-move"... */
  kind: string;
  /** Shown on the timeline. */
  label: string;
}

export interface History {
  /** Which drill and scenario produced it, e.g. "sentinel-failover". */
  drill: string;
  /** ISO time of t = 0. */
  startedAt: string;
  ops: HistoryOp[];
  events: HistoryEvent[];
  /** Free-form facts about the run: settings, addresses, roles ({ "127.0.1.2:7001": "replica" }). */
  meta: Record<string, unknown>;
}

/**
 * Records a history as operations happen. Time comes from a monotonic clock; tests pass
 * their own clock to build histories by hand.
 */
export class HistoryRecorder {
  private readonly ops: HistoryOp[] = [];
  private readonly events: HistoryEvent[] = [];
  private readonly open = new Map<number, HistoryOp>();
  private nextId = 1;
  private readonly t0: number;
  readonly startedAt = new Date().toISOString();

  constructor(
    readonly drill: string,
    readonly meta: Record<string, unknown> = {},
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.t0 = clock();
  }

  /** Milliseconds since the start, to 0.01 ms. */
  now(): number {
    return Math.round((this.clock() - this.t0) * 100) / 100;
  }

  invoke(process: number, f: OpFunction, fields: { key?: string; value?: HistoryOp["value"] } = {}): number {
    const op: HistoryOp = { id: this.nextId++, process, type: "invoke", f, time: this.now(), ...fields };
    this.ops.push(op);
    this.open.set(op.id, op);
    return op.id;
  }

  private complete(id: number, type: "ok" | "fail" | "info", fields: Partial<HistoryOp>): void {
    const inv = this.open.get(id);
    if (!inv) throw new Error(`history: operation ${id} is not in flight`);
    this.open.delete(id);
    const { key, value } = inv;
    this.ops.push({ id, process: inv.process, type, f: inv.f, time: this.now(), ...(key !== undefined ? { key } : {}), ...(value !== undefined ? { value } : {}), ...fields });
  }

  ok(id: number, fields: { value?: HistoryOp["value"]; node?: string } = {}): void {
    this.complete(id, "ok", fields);
  }

  /** The operation surely did not take effect (the server refused it, or it was never sent). */
  fail(id: number, error: string, node?: string): void {
    this.complete(id, "fail", { error, ...(node ? { node } : {}) });
  }

  /** The outcome is unknown (a timeout, a connection lost after sending). */
  info(id: number, error: string, node?: string): void {
    this.complete(id, "info", { error, ...(node ? { node } : {}) });
  }

  event(kind: string, label: string): void {
    this.events.push({ time: this.now(), kind, label });
  }

  /** The history so far; operations still in flight end as info ("still running at the end"). */
  history(): History {
    for (const id of [...this.open.keys()]) this.info(id, "still in flight when the history ended");
    return { drill: this.drill, startedAt: this.startedAt, ops: [...this.ops], events: [...this.events], meta: this.meta };
  }
}
