/**
 * What each slot holds, for planning: keys per slot (CLUSTER COUNTKEYSINSLOT on its owner,
 * pipelined) and bytes per slot (MEMORY USAGE of its keys summed inside the server by one
 * EVAL per batch of slots; where EVAL is refused, keys times the owner's average bytes per
 * key from INFO). Only owners are asked, each for its own slots.
 */
import type { NodePool } from "../../redis/connection.js";
import { keysFromInfo, parseInfo } from "../../redis/parse-info.js";
import { rangesToSlots, SLOT_COUNT, type SlotRange } from "../../redis/slots.js";
import type { ClusterMap } from "./cluster-map.js";
import { commandRefused } from "./source-scan.js";
import { countKeysOn, type CountOptions } from "./count-keys.js";

const MEMORY_SCRIPT = `
local out = {}
for i, s in ipairs(ARGV) do
  local slot = tonumber(s)
  local keys = redis.call('CLUSTER', 'GETKEYSINSLOT', slot, redis.call('CLUSTER', 'COUNTKEYSINSLOT', slot))
  local sum = 0
  for _, k in ipairs(keys) do sum = sum + (redis.call('MEMORY', 'USAGE', k) or 0) end
  out[i] = sum
end
return out`;

/** Keys per slot, for the given slots (default: every slot), each counted on its owner. */
export async function keysPerSlot(pool: NodePool, map: ClusterMap, only?: SlotRange[], o: CountOptions = {}): Promise<Float64Array> {
  const out = new Float64Array(SLOT_COUNT);
  const wanted = only ? new Set(rangesToSlots(only)) : undefined;
  await Promise.all(
    map.nodes
      .filter((n) => n.role === "master" && n.slots.length)
      .map(async (n) => {
        const slots = rangesToSlots(n.slots).filter((s) => !wanted || wanted.has(s));
        if (!slots.length) return;
        (await countKeysOn(pool, n.address, slots, o)).forEach((v, i) => (out[slots[i]] = v));
      }),
  );
  return out;
}

/** Bytes per slot (MEMORY USAGE summed), every slot on its owner. */
export async function bytesPerSlot(pool: NodePool, map: ClusterMap): Promise<Float64Array> {
  const out = new Float64Array(SLOT_COUNT);
  const keys = await keysPerSlot(pool, map, undefined, { tool: "cluster_rebalance" });
  await Promise.all(
    map.nodes
      .filter((n) => n.role === "master" && n.slots.length)
      .map(async (n) => {
        const client = await pool.get(n.address);
        const slots = rangesToSlots(n.slots).filter((s) => keys[s] > 0);
        try {
          for (let i = 0; i < slots.length; i += 256) {
            const chunk = slots.slice(i, i + 256);
            const sums = (await client.call("EVAL", MEMORY_SCRIPT, "0", ...chunk.map(String))) as number[];
            chunk.forEach((s, j) => (out[s] = Number(sums[j])));
          }
        } catch (err) {
          if (!commandRefused(err)) throw err;
          const info = parseInfo(String(await client.call("INFO", "memory", "keyspace")));
          const perKey = Number(info.memory?.values.used_memory_dataset ?? 0) / Math.max(1, keysFromInfo(info));
          for (const s of slots) out[s] = keys[s] * perKey;
        }
      }),
  );
  return out;
}
