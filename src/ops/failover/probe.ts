/**
 * A key that lands in a given slot, for probing whether a node accepts writes for it
 * without touching user data: DEL of a key nobody uses changes nothing, yet a node
 * answers it only as the slot's master (a replica answers MOVED). Pure.
 */
import { keySlot } from "../../redis/slots.js";

export function probeKey(slot: number): string {
  for (let i = 0; ; i++) {
    const key = `{redis-pilot-probe-${i.toString(36)}}`;
    if (keySlot(key) === slot) return key;
  }
}
