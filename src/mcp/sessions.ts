/**
 * The HTTP session table: at most `max` live sessions, each closed after `idleMs`
 * without a request, so a client that never sends DELETE cannot pin memory (each
 * session holds an McpServer and a transport) and a flood of initializes is refused.
 * Time is passed in, so the policy is tested with plain numbers.
 */
export interface Closable {
  close(): Promise<void>;
}

export class SessionTable<T extends Closable> {
  private readonly entries = new Map<string, { value: T; lastSeen: number }>();

  constructor(
    /** @default 64 */
    readonly max = 64,
    /** @default 30 minutes */
    readonly idleMs = 30 * 60_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** False when the table is full: the caller answers 503 and opens nothing. */
  hasRoom(): boolean {
    return this.entries.size < this.max;
  }

  add(id: string, value: T, now: number): void {
    this.entries.set(id, { value, lastSeen: now });
  }

  /** The session, marked as used at `now`. */
  get(id: string, now: number): T | undefined {
    const e = this.entries.get(id);
    if (e) e.lastSeen = now;
    return e?.value;
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  /** Removes and returns the sessions idle for idleMs or longer; the caller closes them. */
  expire(now: number): T[] {
    const idle = [...this.entries].filter(([, e]) => now - e.lastSeen >= this.idleMs);
    for (const [id] of idle) this.entries.delete(id);
    return idle.map(([, e]) => e.value);
  }

  values(): T[] {
    return [...this.entries.values()].map((e) => e.value);
  }
}
