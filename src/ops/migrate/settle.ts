/**
 * Applies slot repairs: each slot ends owned by its chosen owner on every master, with
 * no MIGRATING / IMPORTING state left and every key there. Per slot, in order: the
 * owner accepts the keys (IMPORTING unless it owns the slot), each other holder sends
 * them (MIGRATING, or ASKING where it only imports the slot), the owner takes the slot
 * (SETSLOT NODE), then the nodes that held keys, then every other master (STABLE first
 * where they import it); an owner that did not import the slot bumps its config epoch
 * so its claim wins over any stale one in gossip. Slots are settled a few at a time.
 */
import type { MigrateAuth } from "./auth.js";
import { errorMessage } from "../../errors.js";
import type { NodePool } from "../../redis/connection.js";
import type { ClusterMap } from "./cluster-map.js";
import { bare, SlotMoveError } from "./errors.js";
import { execAll, KeyMover } from "./key-mover.js";
import type { SlotRepair } from "./slot-repair.js";
import type { SlotState } from "./slot-state.js";

export interface SettleOptions {
  pool: NodePool;
  map: ClusterMap;
  states: Map<number, SlotState>;
  migrateAuth: MigrateAuth;
  replace?: boolean;
  /** Slots settled at once. @default 16 */
  concurrency?: number;
  onSettled?: (r: SlotRepair) => void;
}

async function run(pool: NodePool, address: string, ...args: string[]): Promise<unknown> {
  try {
    return await (await pool.get(address)).call(args[0], ...args.slice(1));
  } catch (err) {
    throw bare(err);
  }
}

async function settleOne(r: SlotRepair, o: SettleOptions): Promise<void> {
  const s = String(r.slot);
  const node = (id: string) => o.map.nodes.find((n) => n.id === id)!;
  const state = o.states.get(r.slot);
  const holder = (id: string) => state?.holders.find((h) => h.id === id);
  const owner = node(r.owner);
  const fail = (what: unknown) => new SlotMoveError(r.slot, r.moveFrom.map((m) => m.address).join(", ") || "the cluster", owner.address, errorMessage(what));
  // An owner still MIGRATING the slot answers ASK to the keys sent to it: it stops migrating first.
  if (r.moveFrom.length && holder(r.owner)?.migratingTo) await run(o.pool, owner.address, "CLUSTER", "SETSLOT", s, "STABLE");
  const moveKeys = async (m: SlotRepair["moveFrom"][number]) => {
    const mine = holder(r.owner);
    // (It may own the slot by now, after a SETSLOT NODE: then it takes the keys as they are.)
    if (!mine?.owns && mine?.importingFrom !== m.id) {
      await run(o.pool, owner.address, "CLUSTER", "SETSLOT", s, "IMPORTING", m.id).catch((err) => {
        if (!/already the owner/i.test(errorMessage(err))) throw err;
      });
    }
    const from = node(m.id);
    let asking = !m.owns;
    // MIGRATING first: from then on its clients' new keys go to the owner (ASK), not here.
    // A claimant may have lost its claim to gossip since the read: then it is a mere holder.
    if (m.owns) {
      await run(o.pool, from.address, "CLUSTER", "SETSLOT", s, "MIGRATING", owner.id).catch((err) => {
        if (!/not the owner/i.test(errorMessage(err))) throw err;
        asking = true;
      });
    }
    if (asking && !holder(m.id)?.importingFrom) await run(o.pool, from.address, "CLUSTER", "SETSLOT", s, "IMPORTING", owner.id);
    const mover = new KeyMover(await o.pool.get(from.address), await o.pool.get(owner.address), from, owner, {
      scan: { count: 1000, sizes: true },
      auth: o.migrateAuth(owner.address, from.address),
      replace: o.replace ?? false,
      asking,
      fail: (_, what) => fail(what),
    });
    await mover.migrate(await mover.rescan([r.slot]));
  };
  const setNode = async (address: string, commands: string[][]) => {
    const replies = await execAll(await o.pool.get(address), commands);
    const failed = replies.find(([err]) => err);
    if (failed) throw bare(failed[0]);
  };
  for (const m of r.moveFrom) await moveKeys(m);
  // An owner left MIGRATING keeps that state through SETSLOT NODE while it holds keys: clear it first.
  if (!r.moveFrom.length && holder(r.owner)?.migratingTo) await run(o.pool, owner.address, "CLUSTER", "SETSLOT", s, "STABLE");
  await run(o.pool, owner.address, "CLUSTER", "SETSLOT", s, "NODE", owner.id);
  const held = new Set(r.moveFrom.map((m) => m.id));
  const rest = o.map.nodes.filter((n) => n.role === "master" && n.id !== owner.id).sort((a, b) => Number(held.has(b.id)) - Number(held.has(a.id)));
  for (const n of rest) {
    // STABLE first, always: SETSLOT NODE clears IMPORTING only on the new owner, and this node
    // may import the slot since the read (we may have set it while moving its keys).
    const commands = [["CLUSTER", "SETSLOT", s, "STABLE"], ["CLUSTER", "SETSLOT", s, "NODE", owner.id]];
    try {
      await setNode(n.address, commands);
    } catch (err) {
      // Keys written there since the plan was read: move them too (a node that loses a slot
      // by gossip deletes its keys), then tell it again.
      if (/still hold keys/i.test(errorMessage(err))) {
        await moveKeys({ id: n.id, address: n.address, keys: 0, owns: true });
        await setNode(n.address, commands).catch((again) => {
          throw fail(again);
        });
        continue;
      }
      // A master that held keys must take it; another one learns it from gossip.
      if (held.has(n.id) || holder(n.id)?.migratingTo || holder(n.id)?.importingFrom) throw fail(err);
    }
  }
  if (r.bumpEpoch) await run(o.pool, owner.address, "CLUSTER", "BUMPEPOCH");
}

export async function settleSlots(repairs: SlotRepair[], o: SettleOptions): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < repairs.length && failure === undefined) {
      const r = repairs[next++];
      try {
        await settleOne(r, o);
        o.onSettled?.(r);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 16, repairs.length) }, worker));
  if (failure !== undefined) throw failure;
}
