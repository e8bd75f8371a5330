/**
 * "Check replication in lab reads", "show the replication status of lab rr", "which node
 * is master?", "how many replicas does 127.0.1.1:8000 have?", "are the sentinels in lab ha
 * ok?": a look at a master and its replicas, or at the sentinels that watch it. The words
 * cannot tell a Redis Cluster from plain replication, so the plan reads first (ha-place.ts)
 * and takes replication_info / replication_check, sentinel_check, or, where a Redis
 * Cluster runs, the cluster families' own plans (cluster_info, cluster_check). A named lab
 * the planner already knows to be a cluster is left to those families (readsLab).
 */
import { CHECK, CREATE, INFO } from "../vocabulary.js";
import type { Reading } from "../reading.js";
import { plural } from "../intent.js";
import { findPlace, placeArgs, replicationRows, type HaPlace, type ReplicationRow } from "./ha-place.js";
import { clusterInfo } from "./cluster-info.js";
import { checkCluster } from "./check-cluster.js";
import { defineFamily, type BaseIntent, type Next, type PlanEnv } from "./family.js";
import type { CallOutcome } from "../planner.js";

export interface ReplicationStatusIntent extends BaseIntent {
  family: "replication_status";
  /** check: judge (findings); show: describe. */
  look: "check" | "show";
  /** The request is about the sentinels. */
  sentinels: boolean;
}

/** Words a request to act on replication or Sentinel uses; with a look verb they ask for a look. */
const ABOUT = /\b(?:replication|replica|sentinel)\b/;
/** What a question about roles asks about. */
const ROLES = /\b(?:master|replica|replication|sentinel)\b/;
/** A Redis Cluster's own words: its checks and reads belong to the cluster families. */
const CLUSTERISH = /\bcluster\b|\bslots?\b|\bshard\b|\b\d+ (?:master|node|replica)\b/;
const TROUBLE = /\b(?:wrong|broken|problem|issue|failing|fine|healthy|ok|working|down|up|status|alive|reachable|agree)\b/;
/** Questions asking which node has a role, or how many. */
const ASKING = /^\s*(?:(?:can|could|would) you |please )?(?:tell me |show me )?(?:how many|which|who|whose|what|where)\b/i;
/** Lag questions are replication_lag's. */
const LAG = /\b(?:how far behind|lag(?:ging)?|behind|caught up|in sync)\b/;

function asks(r: Reading): boolean {
  if (CLUSTERISH.test(r.bare) || new RegExp(CREATE.source).test(r.bare) || LAG.test(r.bare)) return false;
  // The planner read the named lab: a Redis Cluster's masters and replicas are cluster_info's and check_cluster's.
  if (r.lab?.cluster && !/\bsentinel\b/.test(r.bare)) return false;
  if (r.question) return ROLES.test(r.bare) && (ASKING.test(r.raw) || TROUBLE.test(r.bare) || CHECK.test(r.bare) || INFO.test(r.bare));
  return ABOUT.test(r.bare) && (CHECK.test(r.bare) || INFO.test(r.bare));
}

const at = (p: HaPlace): string => (p.lab ? `lab ${p.lab}` : p.where.target ? `target ${p.where.target}` : p.where.nodes!.join(" "));

/** Each master with its replicas and their links, replicas whose master was not read, nodes that did not answer. */
export function describeReplication(out: { nodes: ReplicationRow[]; unreachable: { address: string }[] }): string {
  const byAddress = new Map(out.nodes.map((n) => [n.address, n]));
  const masters = out.nodes.filter((n) => n.role === "master").map((m) => {
    const replicas = (m.replicas ?? []).map((a) => `${a}${byAddress.get(a)?.link ? ` link ${byAddress.get(a)!.link}` : ""}`);
    return `${m.address} is a master with ${plural(replicas.length, "replica")}${replicas.length ? ` (${replicas.join(", ")})` : ""}`;
  });
  const strays = out.nodes
    .filter((n) => n.role === "replica" && !out.nodes.some((m) => m.role === "master" && m.replicas?.includes(n.address)))
    .map((n) => `${n.address} is a replica of ${n.master ?? "an unknown master"}${n.link ? ` (link ${n.link})` : ""}, which does not list it`);
  const gone = out.unreachable.map((u) => `${u.address} did not answer`);
  const parts = [...masters, ...strays, ...gone];
  return parts.length ? parts.join("; ") : "no node answered";
}

/** Where a Redis Cluster runs, the cluster families plan (same calls, same answers as when asked about the cluster). */
function asCluster(intent: ReplicationStatusIntent, place: HaPlace, history: readonly CallOutcome[], env: PlanEnv): Next {
  const base = { where: place.where, assumed: [], expected: {} };
  return intent.look === "check" ? checkCluster.plan!({ family: "check_cluster", ...base }, history, env) : clusterInfo.plan!({ family: "cluster_info", ...base }, history, env);
}

export const replicationStatus = defineFamily<ReplicationStatusIntent>({
  name: "replication_status",
  doing: "Checking replication or Sentinel",
  example: "check replication in lab demo",
  effect: "look",
  tools: ["lab_list", "replication_check", "replication_info", "sentinel_check", "cluster_check", "cluster_info"],
  readsLab: true,
  match: asks,
  extract: (r) => ({
    family: "replication_status",
    look: CHECK.test(r.bare) || (r.question && TROUBLE.test(r.bare)) ? "check" : "show",
    sentinels: /\bsentinel\b/.test(r.bare),
    where: r.where,
    assumed: [],
  }),
  plan(intent, history, env) {
    const found = findPlace(intent.where, history, { then: intent.look === "check" ? "check it" : "show it", example: (lab) => `check replication in lab ${lab}` });
    if (!("place" in found)) return found;
    const { place } = found;
    if (intent.sentinels && place.kind !== "sentinel") return { refuse: `No sentinels run at ${at(place)}${place.kind === "cluster" ? ": a Redis Cluster fails over by itself" : ""}.`, reason: "impossible" };
    if (place.kind === "cluster") return asCluster(intent, place, history, env);
    const tool = intent.sentinels ? "sentinel_check" : intent.look === "check" ? "replication_check" : "replication_info";
    const read = history.find((o) => o.call.tool === tool);
    if (!read) return { call: { tool, args: placeArgs(place) } };
    if (!read.result?.ok) return { done: `Read ${at(place)} with ${tool}.` };
    if (tool === "replication_info") return { done: `Read ${at(place)} with replication_info: ${describeReplication(replicationRows(history)!)}.` };
    return { done: `Read ${at(place)} with ${tool}: ${read.result.summary.split("\n")[0]}` };
  },
});
