/**
 * Steps 2 and 3 of a batch in one EVAL on the source, for the common case of small keys
 * with no MIGRATE credentials: per slot, MIGRATING, then GETKEYSINSLOT and MIGRATE until
 * the slot is empty, all inside the server. The key names never travel to us and back,
 * and a batch costs one round trip instead of two, on the timeline MIGRATE is bound by.
 * It stops at the first refusal or MIGRATE error (a stalled target costs one MIGRATE
 * timeout, not one per slot) and says how far it got; the lane finishes the rest of the
 * batch the plain way (BUSYKEY compared with DUMP, IOERR retried). Not used when MIGRATE
 * needs AUTH (EVAL arguments are not redacted in SLOWLOG) or keys are large (a script
 * cannot be interrupted while it runs).
 */
import type { Redis } from "ioredis";
import { bare } from "./errors.js";

const SCRIPT = `
local to, host, port, timeout, count = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local out = {}
for i = 6, #ARGV do
  local slot = tonumber(ARGV[i])
  local r = redis.pcall('CLUSTER', 'SETSLOT', slot, 'MIGRATING', to)
  if type(r) == 'table' and r.err then
    out[#out + 1] = {slot, 0, r.err}
    return out
  end
  local moved = 0
  while true do
    local keys = redis.call('CLUSTER', 'GETKEYSINSLOT', slot, count)
    if #keys == 0 then break end
    local m = redis.pcall('MIGRATE', host, port, '', 0, timeout, 'KEYS', unpack(keys))
    if type(m) == 'table' and m.err then
      out[#out + 1] = {slot, moved, m.err}
      return out
    end
    moved = moved + #keys
  end
  out[#out + 1] = {slot, moved}
end
return out`;

export interface ScriptMoveResult {
  /** Slots emptied on the source, with the keys each moved. */
  done: { slot: number; keys: number }[];
  /** The slot it stopped at, and why (the rest of the batch was not touched). */
  stopped?: { slot: number; keys: number; error: string };
}

export async function scriptMove(src: Redis, slots: number[], o: { to: string; host: string; port: number; timeoutMs: number; count: number }): Promise<ScriptMoveResult> {
  let rows: [number, number, string?][];
  try {
    rows = (await src.call("EVAL", SCRIPT, "0", o.to, o.host, String(o.port), String(o.timeoutMs), String(o.count), ...slots.map(String))) as [number, number, string?][];
  } catch (err) {
    throw bare(err);
  }
  const done: ScriptMoveResult["done"] = [];
  let stopped: ScriptMoveResult["stopped"];
  for (const [slot, keys, error] of rows) {
    if (error === undefined) done.push({ slot: Number(slot), keys: Number(keys) });
    else stopped = { slot: Number(slot), keys: Number(keys), error: String(error) };
  }
  return { done, ...(stopped ? { stopped } : {}) };
}
