/**
 * Step 2 of moving a batch of slots, on the source: mark each slot MIGRATING (only after
 * the target marked it IMPORTING) and list its keys, with their sizes when asked, so
 * MIGRATE batches can be cut by bytes. Sizes cost the source about 1.5 us a key, on the
 * timeline MIGRATE is bound by, so the lane asks for them only where keys are large
 * (lane.ts). With sizes, one EVAL per batch does it all inside the server; where EVAL is
 * refused (an ACL without it, a renamed command) the same runs as plain pipelined
 * commands, and where MEMORY USAGE is refused too, sizes are unknown (the estimate is
 * used). Keys are Buffers: key names need not be UTF-8.
 */
import type { Redis } from "ioredis";
import { errorMessage } from "../../errors.js";

export interface SlotKeys {
  slot: number;
  keys: Buffer[];
  sizes: number[];
  /** SETSLOT MIGRATING was refused for this slot (e.g. "I'm not the owner"). */
  error?: string;
}

export interface ScanOptions {
  /** Mark the slots MIGRATING to this node id first (omit on a re-scan). */
  migratingTo?: string;
  /** GETKEYSINSLOT count: keys listed per slot and round. */
  count: number;
  /** Measure each key (MEMORY USAGE); otherwise every key counts `estimate` bytes. */
  sizes?: boolean;
  /** Bytes assumed per key when not measured. @default 0 */
  estimate?: number;
  /** The node imports the slots rather than owning them: ASKING before each keyed command. */
  asking?: boolean;
}

const SCRIPT = `
local out = {}
local to, count = ARGV[1], tonumber(ARGV[2])
for i = 3, #ARGV do
  local slot = tonumber(ARGV[i])
  local r = true
  if to ~= '' then r = redis.pcall('CLUSTER', 'SETSLOT', slot, 'MIGRATING', to) end
  if type(r) == 'table' and r.err then
    out[#out + 1] = {slot, r.err}
  else
    local keys = redis.call('CLUSTER', 'GETKEYSINSLOT', slot, count)
    local sizes = {}
    for j, k in ipairs(keys) do sizes[j] = redis.call('MEMORY', 'USAGE', k) or 0 end
    out[#out + 1] = {slot, keys, sizes}
  end
end
return out`;

/** Whether the server refused the command itself (ACL, rename), not its arguments. */
export function commandRefused(err: unknown): boolean {
  return /^(NOPERM|ERR unknown command|ERR This Redis command is not allowed from script)/i.test(errorMessage(err));
}

type ScriptRow = [number, Buffer] | [number, Buffer[], number[]];

async function viaScript(client: Redis, slots: number[], o: ScanOptions): Promise<SlotKeys[]> {
  // A script inherits the caller's ASKING, which lets it read keys of a slot being imported.
  if (o.asking) await client.call("ASKING");
  const rows = (await client.callBuffer("EVAL", SCRIPT, "0", o.migratingTo ?? "", String(o.count), ...slots.map(String))) as ScriptRow[];
  return rows.map((row) => (row.length === 2 ? { slot: Number(row[0]), keys: [], sizes: [], error: row[1].toString() } : { slot: Number(row[0]), keys: row[1], sizes: row[2].map(Number) }));
}

async function viaCommands(client: Redis, slots: number[], o: ScanOptions): Promise<SlotKeys[]> {
  const p = client.pipeline();
  for (const s of slots) {
    if (o.migratingTo) p.call("CLUSTER", "SETSLOT", String(s), "MIGRATING", o.migratingTo);
    p.callBuffer("CLUSTER", "GETKEYSINSLOT", String(s), String(o.count));
  }
  const replies = (await p.exec()) ?? [];
  const step = o.migratingTo ? 2 : 1;
  const out: SlotKeys[] = slots.map((slot, i) => {
    const [setErr] = o.migratingTo ? replies[i * step] : [null];
    if (setErr) return { slot, keys: [], sizes: [], error: errorMessage(setErr) };
    const [err, keys] = replies[i * step + step - 1];
    if (err) throw err;
    return { slot, keys: keys as Buffer[], sizes: [] };
  });
  const estimate = o.estimate ?? 0;
  if (!o.sizes) {
    for (const r of out) r.sizes = r.keys.map(() => estimate);
    return out;
  }
  const sized = client.pipeline();
  for (const r of out) for (const k of r.keys) (o.asking ? sized.call("ASKING") : sized).call("MEMORY", "USAGE", k);
  const sizes = ((await sized.exec()) ?? []).filter((_, i) => !o.asking || i % 2 === 1);
  let at = 0;
  for (const r of out) r.sizes = r.keys.map(() => Number(sizes[at++]?.[1] ?? estimate) || estimate);
  return out;
}

/** Remembers per connection whether EVAL works, so a refusal costs one round trip once. */
const noScript = new WeakSet<Redis>();

export async function scanSlots(client: Redis, slots: number[], o: ScanOptions): Promise<SlotKeys[]> {
  if (slots.length === 0) return [];
  if (o.sizes && !noScript.has(client)) {
    try {
      return await viaScript(client, slots, o);
    } catch (err) {
      if (!commandRefused(err)) throw err;
      noScript.add(client);
    }
  }
  return viaCommands(client, slots, o);
}
