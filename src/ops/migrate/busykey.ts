/**
 * BUSYKEY: a key MIGRATE wants to move already exists on the target. That happens after
 * a MIGRATE timed out once the target had restored the key, or when someone wrote the
 * key on the target. DEBUG DIGEST-VALUE is disabled by default since 7.0, so the two
 * copies are compared with DUMP: equal copies are settled with MIGRATE REPLACE (nothing
 * changes); different copies stop the move with a DataConflictError, unless the caller
 * asked to keep the source's (--replace). Never a silent overwrite.
 */
import type { Redis } from "ioredis";
import { bare, DataConflictError } from "./errors.js";

export interface ConflictContext {
  src: Redis;
  dst: Redis;
  /** Target as MIGRATE reaches it, and the MIGRATE AUTH arguments for it. */
  host: string;
  port: number;
  auth: string[];
  timeoutMs: number;
  replace: boolean;
  /** The source is importing the slot, not owning it: ASKING before its commands too. */
  asking?: boolean;
  names: { from: string; to: string };
}

/** Resolves every key of `keys` that exists on both sides; returns how many were moved with REPLACE. */
export async function resolveConflicts(slot: number, keys: Buffer[], c: ConflictContext): Promise<number> {
  if (keys.length === 0) return 0;
  const there = c.dst.pipeline();
  // The target only answers for a slot it is importing after ASKING, one command at a time.
  for (const k of keys) there.call("ASKING").callBuffer("DUMP", k);
  const here = c.src.pipeline();
  for (const k of keys) (c.asking ? here.call("ASKING") : here).callBuffer("DUMP", k);
  const [t, h] = await Promise.all([there.exec(), here.exec()]);
  const replace: Buffer[] = [];
  keys.forEach((k, i) => {
    const [terr, theirs] = t?.[i * 2 + 1] ?? [new Error("no reply"), null];
    const [herr, ours] = h?.[c.asking ? i * 2 + 1 : i] ?? [new Error("no reply"), null];
    if (terr) throw bare(terr);
    if (herr) throw bare(herr);
    if (theirs === null || ours === null) return; // not a conflict (any more): the next MIGRATE round moves it
    if (c.replace || Buffer.compare(theirs as Buffer, ours as Buffer) === 0) replace.push(k);
    else throw new DataConflictError(slot, k.toString(), c.names.from, c.names.to);
  });
  if (replace.length === 0) return 0;
  try {
    if (c.asking) await c.src.call("ASKING");
    await c.src.call("MIGRATE", c.host, String(c.port), "", "0", String(c.timeoutMs), "REPLACE", ...c.auth, "KEYS", ...replace);
  } catch (err) {
    throw bare(err);
  }
  return replace.length;
}
