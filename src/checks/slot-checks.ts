/** Slot checks: every slot covered, every node agreeing on who owns it, no open slots. */
import { SLOT_COUNT, countSlots, formatRanges, slotsToRanges, uncoveredRanges, type SlotRange } from "../redis/slots.js";
import type { ClusterView, NodeView } from "../topology/types.js";
import type { Finding } from "./finding.js";
import { clusterMembers } from "../topology/members.js";
import { listNames, nameOf } from "./names.js";
import { toolRef } from "../registry/words.js";

/** At most `max` ranges, so a scattered set still prints as one line. */
export function shortRanges(ranges: SlotRange[], max = 8): string {
  const shown = formatRanges(ranges.slice(0, max));
  return ranges.length > max ? `${shown} and ${ranges.length - max} more ranges` : shown;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Slots no master owns, as each node sees it; nodes that see the same gaps share one finding. */
export function checkSlotCoverage(view: ClusterView): Finding[] {
  const groups = new Map<string, { gaps: SlotRange[]; nodes: string[] }>();
  for (const node of view.nodes) {
    const owned = node.peers.filter((p) => p.role === "master" && !p.flags.includes("handshake")).flatMap((p) => p.slots);
    const gaps = uncoveredRanges(owned);
    if (gaps.length === 0) continue;
    const key = formatRanges(gaps);
    const g = groups.get(key) ?? { gaps, nodes: [] };
    groups.set(key, g);
    g.nodes.push(node.address);
  }
  return [...groups.values()].map(({ gaps, nodes }) => ({
    severity: "error",
    code: "slots_uncovered",
    message: `${plural(countSlots(gaps), "slot")} not assigned to any master: ${shortRanges(gaps)} (seen by ${
      nodes.length === view.nodes.length ? `all ${plural(nodes.length, "node")}` : listNames(nodes)
    }).`,
    next: "Assign them to a master with CLUSTER ADDSLOTSRANGE (or redis-cli --cluster fix), then check again.",
    node: nodes[0],
  }));
}

/** slot -> owner index per node (-1: unassigned), for a fast slot-by-slot comparison. */
function ownerTable(node: NodeView, ids: Map<string, number>): Int32Array {
  const owners = new Int32Array(SLOT_COUNT).fill(-1);
  for (const p of node.peers) {
    if (p.role !== "master" || p.flags.includes("handshake")) continue;
    let idx = ids.get(p.id);
    if (idx === undefined) ids.set(p.id, (idx = ids.size));
    for (const r of p.slots) owners.fill(idx, r.start, r.end + 1);
  }
  return owners;
}

/** Ranges of slots where the nodes' slot maps differ, with who says what. */
export function checkSlotAgreement(view: ClusterView, maxFindings = 5): Finding[] {
  if (view.nodes.length < 2) return [];
  const ids = new Map<string, number>();
  const tables = view.nodes.map((n) => ownerTable(n, ids));
  const idOf = [...ids.keys()];
  const members = clusterMembers(view);
  const disagreements: { slots: number[]; sample: number; key: string }[] = [];
  let current: { slots: number[]; sample: number; key: string } | undefined;
  for (let s = 0; s < SLOT_COUNT; s++) {
    const first = tables[0][s];
    if (tables.every((t) => t[s] === first)) {
      current = undefined;
      continue;
    }
    const key = tables.map((t) => t[s]).join(",");
    if (current && current.key === key) current.slots.push(s);
    else disagreements.push((current = { slots: [s], sample: s, key }));
  }
  const findings: Finding[] = disagreements.slice(0, maxFindings).map(({ slots, sample }) => {
    const says = new Map<string, string[]>();
    tables.forEach((t, i) => {
      const owner = t[sample] < 0 ? "unassigned" : nameOf(members, idOf[t[sample]]);
      says.set(owner, [...(says.get(owner) ?? []), view.nodes[i].address]);
    });
    const claims = [...says].map(([owner, nodes]) => `${listNames(nodes, 3)} ${nodes.length === 1 ? "says" : "say"} ${owner}`);
    return {
      severity: "error",
      code: "slot_map_disagreement",
      message: `Nodes disagree on the owner of ${slots.length === 1 ? "slot" : `${slots.length} slots`} ${shortRanges(slotsToRanges(slots))}: ${claims.join("; ")}.`,
      next: `Usually gone within seconds as gossip spreads a change; if it stays, compare config epochs (${toolRef("cluster_info")}) and fix the stale node with CLUSTER SETSLOT or redis-cli --cluster fix.`,
      node: view.nodes[0].address,
    };
  });
  if (disagreements.length > maxFindings) {
    const rest = disagreements.slice(maxFindings).reduce((n, d) => n + d.slots.length, 0);
    findings.push({
      severity: "error",
      code: "slot_map_disagreement",
      message: `Nodes also disagree on ${plural(rest, "more slot")} in ${disagreements.length - maxFindings} more ranges.`,
      next: "Fix the ranges listed above first, then check again.",
    });
  }
  return findings;
}

/** Slots left migrating or importing: keys in them bounce between nodes (ASK) until closed. */
export function checkOpenSlots(view: ClusterView): Finding[] {
  const members = clusterMembers(view);
  const bySlot = new Map<number, { parts: string[]; nodes: string[] }>();
  const add = (slot: number, node: string, part: string) => {
    const s = bySlot.get(slot) ?? { parts: [], nodes: [] };
    bySlot.set(slot, s);
    s.parts.push(part);
    s.nodes.push(node);
  };
  for (const node of view.nodes) {
    for (const m of node.self.migrating) add(m.slot, node.address, `migrating on ${node.address} to ${nameOf(members, m.to)}`);
    for (const i of node.self.importing) add(i.slot, node.address, `importing on ${node.address} from ${nameOf(members, i.from)}`);
  }
  return [...bySlot.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([slot, { parts, nodes }]) => ({
      severity: "error",
      code: "open_slot",
      message: `Slot ${slot} is open: ${parts.join("; ")}.`,
      next: `Finish the migration (MIGRATE the remaining keys, then CLUSTER SETSLOT ${slot} NODE <owner-id> on every master) or undo it with CLUSTER SETSLOT ${slot} STABLE; redis-cli --cluster fix does this.`,
      node: nodes[0],
    }));
}
