/**
 * How many nodes a view follows. A node reports its peers (CLUSTER NODES, INFO
 * replication's slaveN lines, SENTINEL SENTINELS), and a hostile or broken one can report
 * any number: every view stops at MAX_VIEW_NODES addresses, says so once in its
 * unreachable list, and so keeps its sockets and memory bounded.
 */
import type { UnreachableNode } from "./types.js";

/** Redis Cluster's own recommended ceiling; no replication set or Sentinel group comes near it. */
export const MAX_VIEW_NODES = 1000;

export class PeerBudget {
  private readonly requested = new Set<string>();
  private capped = false;

  /** seeds: the addresses the read starts from (they count against the limit). */
  constructor(
    seeds: readonly string[],
    private readonly unreachable: UnreachableNode[],
    private readonly max = MAX_VIEW_NODES,
  ) {
    for (const s of seeds) this.requested.add(s);
  }

  /** Whether to follow a peer `via` reported: false when it was already followed, or the view is full (noted once). */
  take(peer: string, via: string): boolean {
    if (this.requested.has(peer)) return false;
    if (this.requested.size >= this.max) {
      if (!this.capped) this.unreachable.push({ address: peer, error: `not read: the view stops at ${this.max} nodes (${via} lists more)` });
      this.capped = true;
      return false;
    }
    this.requested.add(peer);
    return true;
  }
}
