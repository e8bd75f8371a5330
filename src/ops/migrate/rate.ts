/**
 * Progress of a migration as people read it: slots done of all, keys moved, keys/s and
 * the time left. Emits at most every `everyMs` (and always the last), so a 16384-slot
 * move does not flood an MCP client with notifications.
 */
import type { ProgressEvent, ProgressSink } from "../progress.js";

export class MigrationProgress {
  slots = 0;
  keys = 0;
  bytes = 0;
  private lastEmit = 0;

  constructor(
    private readonly totalSlots: number,
    private readonly sink: ProgressSink,
    private readonly t0 = Date.now(),
    private readonly everyMs = 100,
  ) {}

  add(slots: number, keys: number, bytes = 0): void {
    this.slots += slots;
    this.keys += keys;
    this.bytes += bytes;
    const now = Date.now();
    if (this.slots >= this.totalSlots || now - this.lastEmit >= this.everyMs) {
      this.lastEmit = now;
      this.sink(this.event(now));
    }
  }

  event(now = Date.now()): ProgressEvent {
    const elapsed = Math.max(1, now - this.t0);
    const rate = Math.round((this.keys * 1000) / elapsed);
    const left = this.totalSlots - this.slots;
    const eta = this.slots > 0 && left > 0 ? ` ETA ${((left * elapsed) / this.slots / 1000).toFixed(1)} s` : "";
    return {
      step: "move",
      message: `${this.slots}/${this.totalSlots} slots, ${this.keys} keys moved, ${rate} keys/s${eta}`,
      progress: this.slots,
      total: this.totalSlots,
      elapsedMs: now - this.t0,
    };
  }
}
