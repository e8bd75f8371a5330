/**
 * Turns the numbers a request gave (any subset of nodes, masters, replicas each or in
 * total, zones) into one cluster layout, or a refusal that says why and what would work.
 * A Redis Cluster needs at least 3 masters (failover needs a majority of masters) and
 * the same number of replicas behind every master.
 *
 * "N replicas" without "each" is a total when it covers every master at least once
 * ("3 masters and 6 replicas": 2 each), and per master when it is fewer than the
 * masters ("3 masters with 1 replica", "4 masters and 2 replicas": that many each),
 * since a total smaller than the masters could not give every master a replica.
 */
import { MAX_LAB_NODES } from "../lab/spec.js";
import { are, does, plural, refuse, type ClusterLayout, type Refusal } from "./intent.js";

export const MIN_MASTERS = 3;

export interface LayoutCounts {
  nodes?: number;
  masters?: number;
  /** Replicas per master ("2 replicas each"). */
  replicasEach?: number;
  /** Replicas in total ("3 masters and 3 replicas"). */
  replicasTotal?: number;
  zones?: number;
  /** The request asks to survive a node failure: every master needs a replica. */
  survivesFailure?: boolean;
  /** Whether the nodes are lab nodes (bounded by the lab's size limit). */
  inLab: boolean;
}

interface Picked {
  masters: number;
  r: number;
}

export const describe = (m: number, r: number): string =>
  r === 0 ? `${plural(m, "master")} without replicas` : `${plural(m, "master")} with ${plural(r, "replica")} each`;

/** Every layout of n nodes with at least 3 masters, fewest masters first. */
export function layoutsFor(n: number): { masters: number; replicasPerMaster: number }[] {
  const out: { masters: number; replicasPerMaster: number }[] = [];
  for (let r = Math.floor(n / MIN_MASTERS) - 1; r >= 0; r--) {
    if (n % (r + 1) === 0 && n / (r + 1) >= MIN_MASTERS) out.push({ masters: n / (r + 1), replicasPerMaster: r });
  }
  return out;
}

const options = (n: number): string => layoutsFor(n).map((l) => describe(l.masters, l.replicasPerMaster)).join(" or ");

function fromNodesOnly(n: number, survivesFailure: boolean, assumed: string[]): Picked | Refusal {
  const all = layoutsFor(n);
  if (all.length === 0) {
    return refuse("impossible", `A Redis Cluster needs at least ${MIN_MASTERS} masters, so ${plural(n, "node")} ${are(n)} too few.`, "Ask for at least 3 nodes (3 masters), or 6 nodes for 3 masters with 1 replica each.");
  }
  const layouts = survivesFailure ? all.filter((l) => l.replicasPerMaster > 0) : all;
  if (layouts.length === 0) {
    return refuse("impossible", `${plural(n, "node")} cannot survive a node failure: they only make ${options(n)}, and a master that fails needs a replica to take over.`, `Ask for ${2 * MIN_MASTERS} nodes (${describe(MIN_MASTERS, 1)}).`);
  }
  const oneEach = layouts.find((l) => l.replicasPerMaster === 1);
  if (oneEach) {
    assumed.push("1 replica per master");
    return { masters: oneEach.masters, r: 1 };
  }
  if (layouts.length === 1) {
    assumed.push(`${describe(layouts[0].masters, layouts[0].replicasPerMaster)} (the only layout of ${n} nodes)`);
    return { masters: layouts[0].masters, r: layouts[0].replicasPerMaster };
  }
  return refuse("ambiguous", `${plural(n, "node")} can be ${options(n)}.`, `Say which, e.g. "${n} node cluster with ${layouts[0].masters} masters".`);
}

function fromMasters(m: number, c: LayoutCounts, assumed: string[]): Picked | Refusal {
  if (c.replicasTotal !== undefined) {
    if (c.replicasTotal % m !== 0) {
      const low = Math.floor(c.replicasTotal / m) * m;
      return refuse(
        "ambiguous",
        `${plural(c.replicasTotal, "replica")} ${does(c.replicasTotal)} not split evenly over ${plural(m, "master")}, and every master gets the same number of replicas.`,
        `Ask for ${low > 0 ? `${low} or ` : ""}${low + m} replicas in total, or say "${plural(c.replicasTotal, "replica")} each".`,
      );
    }
    return checkNodes(m, c.replicasTotal / m, c);
  }
  if (c.replicasEach !== undefined) return checkNodes(m, c.replicasEach, c);
  if (c.nodes === undefined) {
    assumed.push("1 replica per master");
    return { masters: m, r: 1 };
  }
  if (c.nodes < m || (c.nodes - m) % m !== 0) {
    const low = Math.max(m, Math.floor(c.nodes / m) * m);
    return refuse(
      "impossible",
      `${plural(c.nodes, "node")} ${does(c.nodes)} not split evenly over ${plural(m, "master")}, and every master gets the same number of replicas.`,
      `Ask for ${low} or ${low + m} nodes${layoutsFor(c.nodes).length ? `, or for ${options(c.nodes)} on ${c.nodes} nodes` : ""}.`,
    );
  }
  return { masters: m, r: (c.nodes - m) / m };
}

function checkNodes(m: number, r: number, c: LayoutCounts): Picked | Refusal {
  const need = m * (1 + r);
  if (c.nodes !== undefined && c.nodes !== need) {
    const alt = layoutsFor(c.nodes);
    return refuse(
      "impossible",
      `${plural(c.nodes, "node")} cannot hold ${describe(m, r)}: that takes ${need} nodes (${plural(m, "master")} + ${plural(m * r, "replica")}).`,
      `Ask for ${need} nodes${alt.length ? `, or for ${options(c.nodes)} on ${c.nodes} nodes` : ""}.`,
    );
  }
  return { masters: m, r };
}

/** Replicas given but no masters: "9 nodes with 2 replicas each", "6 nodes and 3 replicas", "a cluster with 2 replicas each". */
function fromReplicas(c: LayoutCounts, assumed: string[]): Picked | Refusal {
  if (c.nodes === undefined) {
    assumed.push(`${MIN_MASTERS} masters`);
    return fromMasters(MIN_MASTERS, c, assumed);
  }
  if (c.replicasTotal !== undefined) {
    const masters = c.nodes - c.replicasTotal;
    return masters < MIN_MASTERS ? tooFewMasters(Math.max(0, masters)) : fromMasters(masters, c, assumed);
  }
  const each = c.replicasEach!;
  if (c.nodes % (each + 1) !== 0) {
    const alt = layoutsFor(c.nodes);
    return refuse(
      "impossible",
      `${plural(c.nodes, "node")} cannot be split into masters with ${plural(each, "replica")} each.`,
      `Ask for ${Math.max(MIN_MASTERS, Math.round(c.nodes / (each + 1))) * (each + 1)} nodes${alt.length ? `, or for ${options(c.nodes)} on ${c.nodes} nodes` : ""}.`,
    );
  }
  const masters = c.nodes / (each + 1);
  if (masters < MIN_MASTERS) {
    return refuse(
      "impossible",
      `${plural(c.nodes, "node")} with ${plural(each, "replica")} per master make only ${plural(masters, "master")}, and a Redis Cluster needs at least ${MIN_MASTERS}.`,
      `Ask for ${MIN_MASTERS * (each + 1)} nodes${layoutsFor(c.nodes).length ? `, or for ${options(c.nodes)} on ${c.nodes} nodes` : ""}.`,
    );
  }
  return { masters, r: each };
}

const tooFewMasters = (m: number): Refusal =>
  refuse(
    "impossible",
    `A Redis Cluster needs at least ${MIN_MASTERS} masters so a majority can agree on a failover; ${plural(m, "master")} cannot.`,
    `Ask for 3 masters, e.g. "6 node cluster with 3 masters" (1 replica each).`,
  );

/** Reads a replica count given without "each" as a total or per master (see the header). */
function totalOrEach(c: LayoutCounts, assumed: string[]): LayoutCounts {
  const total = c.replicasTotal;
  if (!total) return c;
  const masters = c.masters ?? (c.nodes !== undefined ? c.nodes - total : MIN_MASTERS);
  if (total >= masters) return c;
  assumed.push(`${plural(total, "replica")} per master (fewer replicas than masters can only mean per master)`);
  return { ...c, replicasEach: total, replicasTotal: undefined };
}

export function resolveClusterLayout(counts: LayoutCounts): { layout: ClusterLayout; assumed: string[] } | Refusal {
  if (counts.masters !== undefined && counts.masters < MIN_MASTERS) return tooFewMasters(counts.masters);
  const assumed: string[] = [];
  const c = totalOrEach(counts, assumed);
  let picked: Picked | Refusal;
  if (c.masters !== undefined) picked = fromMasters(c.masters, c, assumed);
  else if (c.replicasEach !== undefined || c.replicasTotal !== undefined) picked = fromReplicas(c, assumed);
  else if (c.nodes !== undefined) picked = fromNodesOnly(c.nodes, c.survivesFailure ?? false, assumed);
  else {
    assumed.push("3 masters with 1 replica each (the smallest layout that survives a node failure)");
    picked = { masters: MIN_MASTERS, r: 1 };
  }
  if ("family" in picked) return picked;
  const { masters, r } = picked;
  if (masters < MIN_MASTERS) return tooFewMasters(masters);
  if (c.survivesFailure && r === 0) {
    return refuse("impossible", `${describe(masters, 0)} cannot survive a node failure: a master that fails has no replica to take over.`, `Ask for ${describe(masters, 1)} (${masters * 2} nodes).`);
  }
  const nodes = masters * (1 + r);
  if (c.inLab && nodes > MAX_LAB_NODES) {
    return refuse("impossible", `${describe(masters, r)} takes ${nodes} nodes, more than a lab runs (${MAX_LAB_NODES}).`, `Ask for at most ${MAX_LAB_NODES} nodes.`);
  }
  const zones = c.zones ?? 1;
  if (zones < 1 || zones > nodes) {
    return refuse("impossible", `${plural(zones, "zone")} cannot be filled by ${plural(nodes, "node")}.`, `Ask for 1 to ${nodes} zones.`);
  }
  return { layout: { masters, replicasPerMaster: r, nodes, zones }, assumed };
}
