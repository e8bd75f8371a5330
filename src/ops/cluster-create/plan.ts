/**
 * cluster create, step 1: the plan. Pure and deterministic: the same nodes and options
 * give the same plan, which is what --dry-run prints and what apply() executes.
 *
 * Placement: masters are spread round-robin over zones (or hosts, when nodes carry no
 * zone), then each replica goes to a master in another zone and on another host when
 * one is left, preferring the zone with the most unassigned nodes so later masters
 * still have choices. redis-cli instead shuffles on IP strings and knows nothing of zones.
 */
import { TooFewNodesError, ValidationError } from "../../errors.js";
import { splitSlots, type SlotRange } from "../../redis/slots.js";

export interface PlanNode {
  address: string;
  host: string;
  /** Zone label; nodes without one are grouped by host. */
  zone?: string;
}

export interface CreateOptions {
  /** Replicas per master. */
  replicas: number;
  /** Number of masters; default: nodes / (replicas + 1), rounded down. */
  masters?: number;
}

export interface PlannedMaster {
  address: string;
  slots: SlotRange[];
  configEpoch: number;
  replicas: string[];
}

export interface PlanStep {
  kind: "tune" | "addslots" | "epoch" | "meet" | "replicate" | "wait" | "verify" | "restore";
  description: string;
}

export interface CreatePlan {
  version: 1;
  kind: "cluster-create";
  masters: PlannedMaster[];
  /** Replica address -> master address. */
  replicaOf: Record<string, string>;
  /** Placement compromises the node set forced (same zone/host as the master). */
  warnings: string[];
  steps: PlanStep[];
}

const zoneOf = (n: PlanNode) => n.zone ?? `host:${n.host}`;

/** Validates counts and returns [masters, replicas per master, extra replicas]. */
export function layout(nodeCount: number, opts: CreateOptions): { masters: number; replicas: number; extra: number } {
  const { replicas } = opts;
  if (!Number.isInteger(replicas) || replicas < 0) throw new ValidationError(`replicas must be a whole number >= 0, not ${replicas}.`);
  const masters = opts.masters ?? Math.floor(nodeCount / (replicas + 1));
  if (!Number.isInteger(masters) || masters < 3) {
    throw new TooFewNodesError(
      `A cluster needs at least 3 masters; ${nodeCount} nodes with ${replicas} replica(s) each give ${masters}.`,
      `Use at least ${3 * (replicas + 1)} nodes for ${replicas} replica(s) per master, or fewer replicas.`,
    );
  }
  const needed = masters * (replicas + 1);
  if (nodeCount < needed) {
    throw new TooFewNodesError(
      `${masters} masters with ${replicas} replica(s) each need ${needed} nodes; ${nodeCount} were given.`,
      `Add ${needed - nodeCount} node(s), or ask for fewer masters or replicas.`,
    );
  }
  if (masters > 16384) throw new ValidationError(`${masters} masters is more than the 16384 slots allow.`);
  return { masters, replicas, extra: nodeCount - needed };
}

/** Round-robin over zones ordered by size (largest first), keeping input order inside a zone. */
function spreadOrder(nodes: PlanNode[]): PlanNode[] {
  const zones = new Map<string, PlanNode[]>();
  for (const n of nodes) zones.set(zoneOf(n), [...(zones.get(zoneOf(n)) ?? []), n]);
  const queues = [...zones.values()].sort((a, b) => b.length - a.length);
  const out: PlanNode[] = [];
  for (let i = 0; out.length < nodes.length; i++) for (const q of queues) if (q[i]) out.push(q[i]);
  return out;
}

/** Placement cost of `n` as a replica in a shard: same zone as the master, same host, a zone the shard has. */
function cost(master: PlanNode, shard: PlanNode[], n: PlanNode): number {
  return (zoneOf(n) === zoneOf(master) ? 1000 : 0) + (n.host === master.host ? 500 : 0) + (shard.some((s) => zoneOf(s) === zoneOf(n)) ? 100 : 0);
}

interface Shard {
  master: PlanNode;
  replicas: PlanNode[];
}

/**
 * One round: gives each shard one replica. The most constrained shard (fewest
 * cheapest candidates) picks first, and takes the candidate fewest other shards
 * could use, then one from the zone with the most free nodes. Greedy in input order
 * would strand the last master with only its own zone left.
 */
function assignRound(shards: Shard[], free: PlanNode[], warnings: string[]): PlanNode[] {
  let pending = [...shards];
  while (pending.length && free.length) {
    // Each pending shard's cheapest candidates, computed once per pick (this runs before
    // the first ADDSLOTSRANGE, so it must stay well under a millisecond for 12 nodes).
    const ideal = new Map<Shard, Set<PlanNode>>();
    for (const s of pending) {
      const members = [s.master, ...s.replicas];
      const costs = free.map((n) => cost(s.master, members, n));
      const best = Math.min(...costs);
      ideal.set(s, new Set(free.filter((_, i) => costs[i] === best)));
    }
    const shard = pending.reduce((a, b) => (ideal.get(b)!.size < ideal.get(a)!.size ? b : a));
    const others = pending.filter((s) => s !== shard);
    const left = new Map<string, number>();
    for (const n of free) left.set(zoneOf(n), (left.get(zoneOf(n)) ?? 0) + 1);
    const demand = new Map(free.map((n) => [n, others.filter((s) => ideal.get(s)!.has(n)).length]));
    const better = (a: PlanNode, b: PlanNode) => demand.get(b)! < demand.get(a)! || (demand.get(b) === demand.get(a) && left.get(zoneOf(b))! > left.get(zoneOf(a))!);
    const node = [...ideal.get(shard)!].reduce((a, b) => (better(a, b) ? b : a));
    const warning =
      sameWarning(node, shard.master, "zone", node.zone !== undefined && node.zone === shard.master.zone) ??
      sameWarning(node, shard.master, "host", node.host === shard.master.host);
    if (warning) warnings.push(warning);
    shard.replicas.push(node);
    free = free.filter((n) => n !== node);
    pending = others;
  }
  return free;
}

function sameWarning(replica: PlanNode, master: PlanNode, what: string, same: boolean): string | undefined {
  return same ? `replica ${replica.address} is in the same ${what} as its master ${master.address}; no other placement was possible` : undefined;
}

export function planCreate(input: PlanNode[], opts: CreateOptions): CreatePlan {
  const { masters: m, replicas: r } = layout(input.length, opts);
  // One zone for every node is no zone at all: place by host only.
  const oneZone = new Set(input.map((n) => n.zone)).size === 1;
  const nodes = oneZone ? input.map((n) => ({ ...n, zone: undefined })) : input;
  const ordered = spreadOrder(nodes);
  const masterNodes = ordered.slice(0, m);
  let free = ordered.slice(m);
  const shards: Shard[] = masterNodes.map((master) => ({ master, replicas: [] }));
  const warnings: string[] = [];
  // Rounds: every master gets its k-th replica before any gets its (k+1)-th; extras go last.
  for (let round = 0; round < r; round++) free = assignRound(shards, free, warnings);
  while (free.length > 0) free = assignRound(shards.slice(0, free.length), free, warnings);
  const slots = splitSlots(m);
  const plannedMasters: PlannedMaster[] = shards.map((s, i) => ({
    address: s.master.address,
    slots: [slots[i]],
    configEpoch: i + 1,
    replicas: s.replicas.map((n) => n.address),
  }));
  const replicaOf = Object.fromEntries(plannedMasters.flatMap((pm) => pm.replicas.map((a) => [a, pm.address])));
  return { version: 1, kind: "cluster-create", masters: plannedMasters, replicaOf, warnings, steps: planSteps(plannedMasters, nodes.length) };
}

function planSteps(masters: PlannedMaster[], nodeCount: number): PlanStep[] {
  const replicaCount = masters.reduce((a, pm) => a + pm.replicas.length, 0);
  return [
    { kind: "tune", description: "lower cluster-node-timeout to 500 ms, repl-diskless-sync-delay to 0 and set cluster-replica-no-failover during the build (restored at the end)" },
    ...masters.map((pm) => ({ kind: "addslots" as const, description: `${pm.address}: CLUSTER ADDSLOTSRANGE ${pm.slots.map((s) => `${s.start} ${s.end}`).join(" ")}` })),
    { kind: "epoch", description: `CLUSTER SET-CONFIG-EPOCH 1..${nodeCount} (one distinct epoch per node)` },
    { kind: "meet", description: `CLUSTER MEET full mesh between the ${nodeCount} nodes, then re-MEET to deliver slot headers at once` },
    { kind: "replicate", description: `CLUSTER REPLICATE for ${replicaCount} replica(s), each as soon as it knows its master` },
    { kind: "wait", description: "wait for cluster_state ok everywhere, replication links up, and every node to see every replica" },
    { kind: "restore", description: "restore the tuned settings to their original values" },
    { kind: "verify", description: "re-read every node and run the cluster checks" },
  ];
}

/** What formatPlan needs: a CreatePlan, or a cluster_create tool output. */
export interface PrintablePlan {
  masters: { address: string; slots: SlotRange[]; replicas: string[] }[];
  warnings: string[];
}

/** A printable plan, one line per master: the CLI's --dry-run output and the cluster_create summary. */
export function formatPlan(plan: PrintablePlan): string {
  const lines = plan.masters.map(
    (pm, i) =>
      `M${i + 1} ${pm.address} slots ${pm.slots.map((s) => `${s.start}-${s.end}`).join(",")} (${pm.slots.reduce((a, s) => a + s.end - s.start + 1, 0)})` +
      (pm.replicas.length ? `  replicas: ${pm.replicas.join(", ")}` : "  no replicas"),
  );
  return [...lines, ...plan.warnings.map((w) => `warning: ${w}`)].join("\n");
}
