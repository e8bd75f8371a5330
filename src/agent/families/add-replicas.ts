/**
 * "Add two read replicas to lab demo", "add 2 replicas to 127.0.1.1:7000", "add
 * 127.0.1.4:7003 as a replica of 127.0.1.1:7000": what runs there decides how
 * (ha-place.ts reads it first). A Redis Cluster: spare lab nodes (or the named ones) join
 * with cluster_add_node as replicas (of the named master, else placed by the tool), then
 * cluster_check. Plain replication or a Sentinel-managed master: replica-adds.ts
 * (replication_attach, verified by replication_check).
 */
import { refuse, type Refusal } from "../intent.js";
import type { CallOutcome } from "../planner.js";
import type { Reading } from "../reading.js";
import { planSpareAdds } from "./add-node.js";
import { findPlace, type HaPlace } from "./ha-place.js";
import { checkStep, masters } from "./migrate-plans.js";
import { planReplicaAdds, replicaAddsVerify } from "./replica-adds.js";
import { defineFamily, type BaseIntent, type Next, type PlanEnv } from "./family.js";

export interface AddReplicasIntent extends BaseIntent {
  family: "add_replicas";
  count: number;
  /** count is per master ("to each master"), not in all. */
  each: boolean;
  /** The master named by address ("to 127.0.1.1:7000", "of 127.0.1.1:7000"). */
  master?: string;
  /** Nodes named to become replicas ("add 127.0.1.4:7003 as a replica of ..."). */
  newReplicas?: string[];
}

const ADD_REPLICAS = /\b(?:add|attach)\b.*\breplica\b|\bmore replica\b|\bmake\b.*\breplica of\b/;
const ADDRESS = /(?:\[[0-9a-f:]+\]|\b(?:\d{1,3}\.){3}\d{1,3}|\blocalhost):\d{1,5}(?:-\d{1,5})?\b/gi;
/** Words that put the master right after them: "to", "of", "to the master at". */
const BEFORE_MASTER = /\b(?:to|of|for|on|onto|from)\s+(?:the\s+)?(?:(?:master|primary)\s+)?(?:(?:at|on)\s+)?$/i;

/** The master and the new replicas among the addresses a request names, or a refusal when it cannot tell. */
function rolesOf(r: Reading): { master?: string; newReplicas?: string[] } | Refusal {
  const nodes = r.where.nodes;
  if (!nodes?.length) return {};
  if (nodes.length === 1) return { master: nodes[0] };
  const masters = [...r.raw.matchAll(ADDRESS)].filter((m) => !m[0].includes("-") && BEFORE_MASTER.test(r.raw.slice(0, m.index))).map((m) => m[0].toLowerCase());
  if (masters.length !== 1) {
    return refuse("ambiguous", `The request names ${nodes.join(", ")} and the built-in planner cannot tell which one is the master.`, `Say it as "add ${nodes[1]} as a replica of ${nodes[0]}".`);
  }
  return { master: masters[0], newReplicas: nodes.filter((n) => n !== masters[0]) };
}

function extract(r: Reading): AddReplicasIntent | Refusal {
  const assumed: string[] = [];
  const roles = rolesOf(r);
  if ("family" in roles) return roles;
  const said = r.count(/(\d+) (?:node|replica)\b/);
  if (roles.newReplicas && said !== undefined && said !== roles.newReplicas.length) {
    return refuse("impossible", `The request asks for ${said} replica${said > 1 ? "s" : ""} and names ${roles.newReplicas.length} (${roles.newReplicas.join(", ")}).`, "Name as many nodes as replicas, or leave the count out.");
  }
  const count = roles.newReplicas?.length ?? said ?? (assumed.push("1 replica"), 1);
  return { family: "add_replicas", count, each: !roles.master && /\b(?:each|every|per)\b/.test(r.text), ...roles, where: r.where, assumed };
}

/** A Redis Cluster: the named nodes, else the lab's spare nodes, join with cluster_add_node as replicas. */
function planCluster(intent: AddReplicasIntent, place: HaPlace, history: readonly CallOutcome[], env: PlanEnv): Next {
  if (intent.newReplicas) {
    const added = history.filter((h) => h.call.tool === "cluster_add_node");
    const next = intent.newReplicas[added.length];
    if (!next) return { done: `${env.dryRun ? "Would add" : "Added"} ${intent.newReplicas.join(", ")} to the cluster as replicas of ${intent.master}.` };
    const where = place.lab ? { lab: place.lab } : { nodes: [intent.master!] };
    return { call: { tool: "cluster_add_node", args: { ...where, newNode: next, replica: true, masterId: intent.master } }, ...(added.length ? {} : { text: `Plan: cluster_add_node joins ${intent.newReplicas.join(", ")} as replicas of ${intent.master}, then cluster_check.` }) };
  }
  if (!place.lab) return { refuse: `${intent.master ?? "It"} is not in a lab, so the built-in planner has no spare nodes to add; name them, e.g. "add HOST:PORT as a replica of ${intent.master ?? "HOST:PORT"}".`, reason: "impossible" };
  // Placement (cluster_add_node) puts each new replica on the least-replicated master, so "each" spreads.
  return planSpareAdds(place.lab, (rows) => (intent.each ? intent.count * masters(rows).filter((m) => m.slotCount > 0).length : intent.count), "replica", history, env, intent.master);
}

const placeOfIntent = (intent: AddReplicasIntent, history: readonly CallOutcome[]) =>
  findPlace(intent.where, history, { then: "add the replicas", example: (lab) => `add 1 replica to each master in lab ${lab}` });

export const addReplicas = defineFamily<AddReplicasIntent>({
  name: "add_replicas",
  doing: "Adding read replicas",
  example: "add 1 replica to each master in lab demo",
  effect: "change",
  tools: ["cluster_add_node", "cluster_info", "lab_status", "cluster_check", "lab_list", "lab_up", "replication_info", "replication_attach", "replication_check"],
  verbs: ADD_REPLICAS,
  match: (r) => ADD_REPLICAS.test(r.bare),
  extract,
  plan(intent, history, env) {
    const found = placeOfIntent(intent, history);
    if (!("place" in found)) return found;
    if (found.place.kind !== "cluster") return planReplicaAdds(intent, found.place, history, env);
    return planCluster(intent, found.place, history, env);
  },
  verify(intent, history) {
    const found = placeOfIntent(intent, history);
    if (!("place" in found)) return checkStep(intent.where);
    if (found.place.kind !== "cluster") return replicaAddsVerify(intent, found.place, history);
    return checkStep(found.place.lab ? { lab: found.place.lab } : found.place.where);
  },
});
