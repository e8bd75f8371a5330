/**
 * How the keys of one slot go into MIGRATE calls: at most maxKeys keys and maxBytes bytes
 * per call (a key larger than maxBytes goes alone), each call's timeout scaled with its
 * bytes. MIGRATE's timeout is the longest silence it accepts from the target, and the
 * target is silent while it deserializes a large key, so big batches need longer ones.
 * Pure.
 */
export interface BatchLimits {
  /** @default 1000 */
  maxKeys?: number;
  /** @default 16 MiB */
  maxBytes?: number;
  /** Timeout for a small batch, ms. @default 5000 */
  baseTimeoutMs?: number;
  /** Bytes per ms the target restores, at the slowest we plan for (10 MB/s). @default 10000 */
  bytesPerMs?: number;
}

export interface KeyBatch<K = string> {
  keys: K[];
  bytes: number;
  timeoutMs: number;
}

export function timeoutFor(bytes: number, l: BatchLimits = {}): number {
  return Math.ceil((l.baseTimeoutMs ?? 5000) + bytes / (l.bytesPerMs ?? 10_000));
}

export function batchKeys<K>(keys: readonly K[], sizes: readonly number[], l: BatchLimits = {}): KeyBatch<K>[] {
  const maxKeys = l.maxKeys ?? 1000;
  const maxBytes = l.maxBytes ?? 16 * 1024 * 1024;
  const batches: KeyBatch<K>[] = [];
  let cur: { keys: K[]; bytes: number } = { keys: [], bytes: 0 };
  const close = () => {
    if (cur.keys.length) batches.push({ ...cur, timeoutMs: timeoutFor(cur.bytes, l) });
    cur = { keys: [], bytes: 0 };
  };
  keys.forEach((k, i) => {
    const size = Math.max(0, sizes[i] ?? 0);
    if (cur.keys.length >= maxKeys || (cur.keys.length > 0 && cur.bytes + size > maxBytes)) close();
    cur.keys.push(k);
    cur.bytes += size;
  });
  close();
  return batches;
}
