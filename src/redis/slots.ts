/** Slot math: CRC16 key hashing with {hash tags}, and slot ranges. */

/** Inclusive range of slots. */
export interface SlotRange {
  start: number;
  end: number;
}

export const SLOT_COUNT = 16384;

/** CRC16-XMODEM table (poly 0x1021, init 0), the one Redis Cluster uses. */
const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[i] = crc & 0xffff;
  }
  return table;
})();

export function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) crc = ((crc << 8) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff]) & 0xffff;
  return crc;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * The slot of a key, as Redis computes it: if the key has a "{" and a later "}" with at
 * least one byte between the first "{" and the first "}" after it, only those bytes hash.
 */
export function keySlot(key: string | Uint8Array): number {
  const bytes = typeof key === "string" ? Buffer.from(key, "utf8") : key;
  const open = bytes.indexOf(OPEN_BRACE);
  if (open >= 0) {
    const close = bytes.indexOf(CLOSE_BRACE, open + 1);
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) & (SLOT_COUNT - 1);
  }
  return crc16(bytes) & (SLOT_COUNT - 1);
}

export function isSlot(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < SLOT_COUNT;
}

/** Sorted, merged ranges of the given slots (duplicates allowed). */
export function slotsToRanges(slots: Iterable<number>): SlotRange[] {
  const sorted = [...new Set(slots)].sort((a, b) => a - b);
  const ranges: SlotRange[] = [];
  for (const s of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && s === last.end + 1) last.end = s;
    else ranges.push({ start: s, end: s });
  }
  return ranges;
}

export function rangesToSlots(ranges: readonly SlotRange[]): number[] {
  const slots: number[] = [];
  for (const r of ranges) for (let s = r.start; s <= r.end; s++) slots.push(s);
  return slots;
}

export function countSlots(ranges: readonly SlotRange[]): number {
  return ranges.reduce((n, r) => n + r.end - r.start + 1, 0);
}

/** Sorts and merges overlapping or adjacent ranges. */
export function mergeRanges(ranges: readonly SlotRange[]): SlotRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: SlotRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else merged.push({ start: r.start, end: r.end });
  }
  return merged;
}

/**
 * Contiguous near-equal ranges covering every slot, the same split as
 * `redis-cli --cluster create` (a float cursor, each end rounded, the last one 16383).
 */
export function splitSlots(masters: number): SlotRange[] {
  if (!Number.isInteger(masters) || masters < 1 || masters > SLOT_COUNT) {
    throw new RangeError(`cannot split ${SLOT_COUNT} slots among ${masters} masters`);
  }
  const perMaster = SLOT_COUNT / masters;
  const ranges: SlotRange[] = [];
  let first = 0;
  let cursor = 0;
  for (let i = 0; i < masters; i++) {
    let last = Math.round(cursor + perMaster - 1);
    if (last > SLOT_COUNT || i === masters - 1) last = SLOT_COUNT - 1;
    if (last < first) last = first;
    ranges.push({ start: first, end: last });
    first = last + 1;
    cursor += perMaster;
  }
  return ranges;
}

/** "0-5460,5461-10922" (a single slot prints as "7"); "" for none. */
export function formatRanges(ranges: readonly SlotRange[]): string {
  return ranges.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(",");
}

/** Inverse of formatRanges; returns undefined when the text is not a valid range list. */
export function parseRanges(text: string): SlotRange[] | undefined {
  if (text.trim() === "") return [];
  const ranges: SlotRange[] = [];
  for (const part of text.split(",")) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) return undefined;
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (!isSlot(start) || !isSlot(end) || end < start) return undefined;
    ranges.push({ start, end });
  }
  return ranges;
}

/** Slots in 0..16383 that no range covers. */
export function uncoveredRanges(ranges: readonly SlotRange[]): SlotRange[] {
  const gaps: SlotRange[] = [];
  let next = 0;
  for (const r of mergeRanges(ranges)) {
    if (r.start > next) gaps.push({ start: next, end: r.start - 1 });
    next = Math.max(next, r.end + 1);
  }
  if (next < SLOT_COUNT) gaps.push({ start: next, end: SLOT_COUNT - 1 });
  return gaps;
}
