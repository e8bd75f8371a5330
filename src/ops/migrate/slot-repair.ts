/**
 * What to do about a slot that is not cleanly owned by one master: open (MIGRATING /
 * IMPORTING left behind), uncovered, claimed by several masters, or with keys on a
 * master that does not own it. Pure: slot states in, one repair per slot out, each with
 * its final owner, the masters whose keys move there, and why. The owner is chosen so
 * no key is dropped and, where a migration was planned or clearly under way, it finishes:
 *   1. a journal says the slot was planned to move to T (T still a master): T;
 *   2. exactly one master migrates it to T and T imports it from that master: T;
 *   3. one master claims it: that master (importing ones give their keys back);
 *   4. several claim it: the one holding most keys, then the one most views name;
 *   5. none claims it: the master holding most keys, else one importing or migrating it,
 *      else the master with the fewest slots.
 * This covers what redis-cli --cluster fix handles and the cases it gives up on
 * (several migrating or importing nodes, an importing node that is not the migration's
 * target, keys on nodes that neither own nor import the slot).
 */
import type { SlotHolder, SlotState } from "./slot-state.js";

export type RepairKind = "open-slot" | "multiple-owners" | "uncovered" | "stray-keys";

export interface SlotRepair {
  slot: number;
  kind: RepairKind;
  /** The final owner. */
  owner: string;
  ownerAddress: string;
  /** Masters whose keys of the slot move to the owner. */
  moveFrom: { id: string; address: string; keys: number; owns: boolean }[];
  /** Masters with a MIGRATING / IMPORTING state to clear. */
  open: string[];
  /** One sentence: what was wrong and why this owner. */
  why: string;
  /** The owner claims the slot without having imported it: it bumps its config epoch so its claim wins. */
  bumpEpoch: boolean;
}

export interface RepairHints {
  /** slot -> node id the slot was planned to move to (from a journal). */
  planned?: Map<number, string>;
  /** id -> slots it owns, to place an uncovered slot with no keys. */
  slotCounts?: Map<string, number>;
}

const short = (id: string) => id.slice(0, 8);

function pick(holders: SlotHolder[], better: (a: SlotHolder, b: SlotHolder) => number): SlotHolder {
  return [...holders].sort(better)[0];
}

function choose(st: SlotState, hints: RepairHints): { owner: SlotHolder; why: string } {
  const h = st.holders;
  const byId = new Map(h.map((x) => [x.id, x]));
  const planned = hints.planned?.get(st.slot);
  if (planned && byId.has(planned)) return { owner: byId.get(planned)!, why: `the journal of an interrupted migration planned it for ${byId.get(planned)!.address}: finishing that move` };
  const migrating = h.filter((x) => x.migratingTo);
  const importing = h.filter((x) => x.importingFrom);
  if (migrating.length === 1) {
    const target = byId.get(migrating[0].migratingTo!);
    if (target && target.importingFrom === migrating[0].id) return { owner: target, why: `${migrating[0].address} was migrating it to ${target.address}, which was importing it: finishing the migration` };
  }
  const claimants = h.filter((x) => x.owns);
  if (claimants.length === 1) {
    const what = migrating.length || importing.length ? "undoing the half-done migration" : "moving stray keys to it";
    return { owner: claimants[0], why: `${claimants[0].address} owns it: ${what}` };
  }
  if (claimants.length > 1) {
    const owner = pick(claimants, (a, b) => b.keys - a.keys || Number(b.id === st.majorityOwner) - Number(a.id === st.majorityOwner));
    return { owner, why: `${claimants.map((c) => c.address).join(", ")} all claim it; ${owner.address} holds the most keys${owner.id === st.majorityOwner ? " and most nodes name it" : ""}` };
  }
  const withKeys = h.filter((x) => x.keys > 0);
  if (withKeys.length) {
    const owner = pick(withKeys, (a, b) => b.keys - a.keys);
    return { owner, why: `no master claims it; ${owner.address} holds the most of its keys (${owner.keys})` };
  }
  if (importing.length || migrating.length) {
    const owner = importing[0] ?? migrating[0];
    return { owner, why: `no master claims it and no keys are left; ${owner.address} was ${owner.importingFrom ? "importing" : "migrating"} it` };
  }
  const counts = hints.slotCounts ?? new Map();
  const owner = pick(h, (a, b) => (counts.get(a.id) ?? 0) - (counts.get(b.id) ?? 0) || a.address.localeCompare(b.address));
  return { owner, why: `no master claims it and it has no keys; ${owner.address} has the fewest slots` };
}

function kindOf(st: SlotState, owner: SlotHolder): RepairKind {
  const h = st.holders;
  if (h.some((x) => x.migratingTo || x.importingFrom)) return "open-slot";
  const claimants = h.filter((x) => x.owns);
  if (claimants.length > 1) return "multiple-owners";
  if (claimants.length === 0 && st.majorityOwner === "") return "uncovered";
  if (claimants.length === 0 || st.majorityOwner !== owner.id) return "multiple-owners";
  return "stray-keys";
}

/** Whether a slot is cleanly owned: one claimant, every view agreeing, no open state, keys only there. */
export function isClean(st: SlotState): boolean {
  const claimants = st.holders.filter((x) => x.owns);
  return (
    claimants.length === 1 &&
    st.majorityOwner === claimants[0].id &&
    !st.holders.some((x) => x.migratingTo || x.importingFrom || (x.keys > 0 && x.id !== claimants[0].id))
  );
}

export function planSlotRepairs(states: SlotState[], hints: RepairHints = {}): SlotRepair[] {
  return states
    .filter((st) => st.holders.length > 0 && !isClean(st))
    .map((st) => {
      const { owner, why } = choose(st, hints);
      const kind = kindOf(st, owner);
      return {
        slot: st.slot,
        kind,
        owner: owner.id,
        ownerAddress: owner.address,
        // Every other claimant too, whatever its count said: clients may write keys there
        // until it is MIGRATING, and a claimant that loses the slot by gossip deletes them.
        moveFrom: st.holders.filter((x) => x.id !== owner.id && (x.keys > 0 || x.owns)).map((x) => ({ id: x.id, address: x.address, keys: x.keys, owns: x.owns })),
        open: st.holders.filter((x) => x.migratingTo || x.importingFrom).map((x) => x.id),
        why,
        // A node that imported the slot bumps its epoch by itself on SETSLOT NODE.
        bumpEpoch: kind !== "open-slot" || owner.importingFrom === undefined,
      };
    });
}

/** "slot 42 (open-slot): ... -> owner 127.0.0.1:7001 (ab12cd34), moving 3 keys from 127.0.0.1:7000". */
export function describeRepair(r: SlotRepair): string {
  const moves = r.moveFrom.map((m) => (m.keys ? `${m.keys} key${m.keys === 1 ? "" : "s"} from ${m.address}` : `the slot from ${m.address}`)).join(", ");
  return `slot ${r.slot} (${r.kind}): ${r.why}; owner ${r.ownerAddress} (${short(r.owner)})${moves ? `, moving ${moves}` : ""}`;
}
