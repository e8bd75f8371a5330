/**
 * Counts a request to look states about the cluster ("check the 6 node cluster",
 * "validate the 3 masters have replicas", "does lab demo have 3 replicas?"): read from
 * the words, then compared with what the read found, so a stated count is honoured
 * (confirmed or reported as wrong), never ignored.
 */
import { plural } from "./intent.js";
import type { Reading } from "./reading.js";
import { replicasOf } from "./vocabulary.js";

export interface Expected {
  nodes?: number;
  masters?: number;
  /** Replicas per master; 1 for "have replicas" without a number (at least one each). */
  replicasEach?: number;
  replicasTotal?: number;
}

/** The counts the words state; their numbers are placed. */
export function expectedCounts(r: Reading): Expected {
  const out: Expected = {};
  const nodes = r.count(/(\d+) node\b/);
  const masters = r.count(/(\d+) (?:master|shard)\b/);
  const replicas = replicasOf(r);
  if (nodes !== undefined) out.nodes = nodes;
  if (masters !== undefined) out.masters = masters;
  if (replicas.each !== undefined) out.replicasEach = replicas.each;
  else if (replicas.total !== undefined) out.replicasTotal = replicas.total;
  else if (/\b(?:have|has|with|got)\b.*\breplica\b/.test(r.bare)) out.replicasEach = 1;
  return out;
}

export interface ReadCounts {
  nodes: number;
  masters: number;
  replicas: number;
}

/** Each expected count against what was read: the differences, and the ones that held. */
export function compareCounts(e: Expected, c: ReadCounts): { wrong: string[]; held: string[] } {
  const wrong: string[] = [];
  const held: string[] = [];
  const test = (want: number | undefined, have: number, noun: string) => {
    if (want === undefined) return;
    if (want === have) held.push(plural(have, noun));
    else wrong.push(`${plural(have, noun)}, not ${want}`);
  };
  test(e.nodes, c.nodes, "node");
  test(e.masters, c.masters, "master");
  test(e.replicasTotal, c.replicas, "replica");
  return { wrong, held };
}
