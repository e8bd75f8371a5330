/**
 * Where one slot stands on every master: whether the master claims it in its own view,
 * whether it is migrating or importing it (and with whom), and how many of its keys it
 * holds. Read from a ClusterView plus COUNTKEYSINSLOT; what is open, uncovered, claimed
 * twice or has keys on a node that does not own it is decided by pure functions here.
 */
import type { NodePool } from "../../redis/connection.js";
import { SLOT_COUNT } from "../../redis/slots.js";
import type { ClusterView, NodeView } from "../../topology/types.js";
import { countKeysOn, type CountOptions } from "./count-keys.js";

export interface SlotHolder {
  id: string;
  address: string;
  /** It claims the slot in its own CLUSTER NODES. */
  owns: boolean;
  migratingTo?: string;
  importingFrom?: string;
  keys: number;
}

export interface SlotState {
  slot: number;
  holders: SlotHolder[];
  /** The owner most nodes' views name ("" when most see it unassigned). */
  majorityOwner: string;
}

function masters(view: ClusterView): NodeView[] {
  return view.nodes.filter((n) => n.self.role === "master");
}

/** slot -> owner id in one node's view ("" unassigned). */
function ownerTable(node: NodeView): string[] {
  const t = new Array<string>(SLOT_COUNT).fill("");
  for (const p of node.peers) if (p.role === "master" && !p.flags.includes("handshake")) for (const r of p.slots) t.fill(p.id, r.start, r.end + 1);
  return t;
}

/** Slots that are open, uncovered, or whose owner the nodes disagree on (no key counts needed). */
export function suspectSlots(view: ClusterView): number[] {
  const suspect = new Set<number>();
  for (const n of view.nodes) {
    for (const m of n.self.migrating) suspect.add(m.slot);
    for (const i of n.self.importing) suspect.add(i.slot);
  }
  const tables = view.nodes.map(ownerTable);
  for (let s = 0; s < SLOT_COUNT; s++) {
    const first = tables[0]?.[s];
    if (first === "" || tables.some((t) => t[s] !== first)) suspect.add(s);
  }
  return [...suspect].sort((a, b) => a - b);
}

/** COUNTKEYSINSLOT of the given slots on every reachable master: id -> slot -> keys. */
export async function countKeys(pool: NodePool, view: ClusterView, slots: number[], o: CountOptions = {}): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>();
  await Promise.all(
    masters(view).map(async (n) => {
      const replies = await countKeysOn(pool, n.address, slots, o);
      const counts = new Map<number, number>();
      replies.forEach((v, i) => {
        if (v > 0) counts.set(slots[i], v);
      });
      out.set(n.self.id, counts);
    }),
  );
  return out;
}

/** Slots where a master holds keys it does not own (found from per-slot counts of every slot). */
export function strayKeySlots(view: ClusterView, counts: Map<string, Map<number, number>>): number[] {
  const stray = new Set<number>();
  for (const n of masters(view)) {
    const owned = new Set<number>();
    for (const r of n.self.slots) for (let s = r.start; s <= r.end; s++) owned.add(s);
    for (const [s] of counts.get(n.self.id) ?? []) if (!owned.has(s)) stray.add(s);
  }
  return [...stray].sort((a, b) => a - b);
}

export function slotStates(view: ClusterView, slots: number[], counts: Map<string, Map<number, number>>): SlotState[] {
  const tables = view.nodes.map(ownerTable);
  const ms = masters(view);
  return slots.map((slot) => {
    const votes = new Map<string, number>();
    for (const t of tables) votes.set(t[slot], (votes.get(t[slot]) ?? 0) + 1);
    const majorityOwner = [...votes].sort((a, b) => b[1] - a[1] || (a[0] === "" ? 1 : b[0] === "" ? -1 : 0))[0]?.[0] ?? "";
    const holders = ms.map((n): SlotHolder => {
      const mig = n.self.migrating.find((m) => m.slot === slot);
      const imp = n.self.importing.find((i) => i.slot === slot);
      return {
        id: n.self.id,
        address: n.address,
        owns: n.self.slots.some((r) => r.start <= slot && slot <= r.end),
        ...(mig ? { migratingTo: mig.to } : {}),
        ...(imp ? { importingFrom: imp.from } : {}),
        keys: counts.get(n.self.id)?.get(slot) ?? 0,
      };
    });
    return { slot, holders, majorityOwner };
  });
}
