/**
 * The proof a migration is done: re-read every node until each moved slot is owned by
 * its target in every node's view (replicas included, which learn it from gossip), no
 * slot is open, all views agree and cluster_state is ok everywhere; then run every
 * cluster check. What is still wrong at the deadline becomes a finding.
 */
import { checkCluster } from "../../checks/cluster-checks.js";
import type { Finding } from "../../checks/finding.js";
import type { NodePool } from "../../redis/connection.js";
import { formatRanges, rangesToSlots, slotsToRanges } from "../../redis/slots.js";
import type { ClusterView } from "../../topology/types.js";
import { readSnapshot, stabilityFindings, type ClusterTarget } from "./session.js";
import type { Move } from "./plan.js";
import { toolRef } from "../../registry/words.js";

/** Slots of the moves that some node still sees elsewhere, with one such node. */
export function notYetVisible(view: ClusterView, moves: Move[]): { slots: number[]; node?: string } {
  const wrong: number[] = [];
  let node: string | undefined;
  for (const n of view.nodes) {
    const owner = new Map<number, string>();
    for (const p of n.peers) if (p.role === "master") for (const r of p.slots) for (let s = r.start; s <= r.end; s++) owner.set(s, p.id);
    for (const m of moves) {
      for (const s of rangesToSlots(m.slots)) {
        if (owner.get(s) !== m.to) {
          wrong.push(s);
          node ??= n.address;
        }
      }
    }
  }
  return { slots: [...new Set(wrong)].sort((a, b) => a - b), node };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function verifyMoves(pool: NodePool, target: ClusterTarget, moves: Move[], timeoutMs = 15_000): Promise<{ view: ClusterView; findings: Finding[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { view } = await readSnapshot(pool, target);
    const unstable = stabilityFindings(view);
    const missing = notYetVisible(view, moves);
    if ((unstable.length === 0 && missing.slots.length === 0) || Date.now() >= deadline) {
      const findings = checkCluster(view);
      if (missing.slots.length) {
        findings.unshift({
          severity: "error",
          code: "move_not_visible",
          message: `${missing.slots.length} moved slot(s) (${formatRanges(slotsToRanges(missing.slots).slice(0, 6))}) are not yet owned by their target in the view of ${missing.node}.`,
          next: `Gossip usually spreads it within a second; run ${toolRef("cluster_check")} again, and ${toolRef("cluster_fix")} if it stays.`,
          node: missing.node,
        });
      }
      return { view, findings };
    }
    await sleep(20);
  }
}
