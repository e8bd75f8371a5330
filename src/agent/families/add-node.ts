/**
 * "Add a node to lab demo", "add 2 replicas to the cluster": spare lab nodes (running, not
 * yet members) join with cluster_add_node, one call each, as masters without slots (then
 * give them slots with a rebalance) or as replicas. A lab only: elsewhere the request
 * must say which server joins, which cluster_add_node takes directly.
 */
import { refuse } from "../intent.js";
import { chosenPlace, placeOf, whereOrOnlyLab } from "../lab-choice.js";
import { checkStep, infoRows, masters, readInfo, type InfoRow } from "./migrate-plans.js";
import { defineFamily, type BaseIntent, type Next, type PlanEnv } from "./family.js";
import type { CallOutcome } from "../planner.js";

/**
 * Joins spare lab nodes (running, not members) one cluster_add_node call at a time until
 * `want(rows)` have joined; lab_status and cluster_info first. Shared with add_replicas.
 */
export function planSpareAdds(lab: string, want: (rows: InfoRow[]) => number, role: "master" | "replica", history: readonly CallOutcome[], env: PlanEnv, masterId?: string): Next {
  const status = history.find((h) => h.call.tool === "lab_status" && h.result?.ok);
  if (!status) return { call: { tool: "lab_status", args: { name: lab } }, text: `Plan: find spare nodes in lab ${lab}, join them as ${role}s with cluster_add_node, then cluster_check.` };
  const rows = infoRows(history);
  if (!rows) return { call: readInfo({ lab }) };
  const added = history.filter((h) => h.call.tool === "cluster_add_node");
  const count = want(rows);
  if (added.length >= count) {
    return { done: `${env.dryRun ? "Would add" : "Added"} ${added.map((a) => a.call.args.newNode).join(", ")} to the cluster in lab ${lab} as ${role}${added.length > 1 ? "s" : ""}${masterId ? ` of ${masterId}` : ""}${role === "master" ? " (give them slots with a rebalance)" : ""}.` };
  }
  const members = new Set(rows.map((r) => r.address));
  const used = new Set(added.map((a) => String(a.call.args.newNode)));
  const spare = (status.result!.ok ? (status.result!.output.nodes as { address: string; running: boolean }[]) : []).filter((n) => n.running && !members.has(n.address) && !used.has(n.address));
  if (!spare.length) return { refuse: `Lab ${lab} has ${added.length ? "no more" : "no"} spare nodes for ${count} new ${role}${count > 1 ? "s" : ""}: every running node is in the cluster.`, reason: "impossible" };
  return { call: { tool: "cluster_add_node", args: { lab, newNode: spare[0].address, ...(role === "replica" ? { replica: true } : {}), ...(masterId ? { masterId } : {}) } } };
}

export { masters };

export interface AddNodeIntent extends BaseIntent {
  family: "add_node";
  count: number;
  role: "master" | "replica";
  /** "add 127.0.0.1:7006 to the cluster at 127.0.0.1:7000": the server that joins (where = the rest). */
  newNode?: string;
}

const ADD = /\b(?:add|expand|grow)\b.*\b(?:node|master|shard|replica)s?\b|\bscale (?:out|up)\b/;

export const addNode = defineFamily<AddNodeIntent>({
  name: "add_node",
  doing: "Adding nodes to a cluster",
  example: "add a node to the cluster in lab demo",
  effect: "change",
  tools: ["cluster_add_node", "cluster_info", "lab_status", "cluster_check"],
  verbs: ADD,
  match: (r) => ADD.test(r.bare),
  extract(r) {
    const role = /\breplicas?\b/.test(r.text) ? "replica" : "master";
    // "add [node] HOST:PORT to|into ... HOST:PORT": the address after add joins, the others reach the cluster.
    const named = r.where.nodes ?? [];
    const joining = /\badd (?:(?:a |the )?(?:new )?(?:node|server|master) )?((?:\d{1,3}(?:\.\d{1,3}){3}|localhost):\d{1,5})\b.*\b(?:to|into)\b/i.exec(r.raw)?.[1];
    if (!r.where.lab && !r.where.target && named.length >= 2 && joining && named.includes(joining)) {
      return { family: "add_node", count: 1, role, newNode: joining, where: { nodes: named.filter((a) => a !== joining) }, assumed: [] };
    }
    if (r.where.nodes || r.where.target) {
      return refuse("impossible", "The built-in planner adds a named server only with the cluster's address after it, or spare nodes of a lab.", "Say 'add HOST:PORT to the cluster at HOST:PORT', name the lab, or call cluster_add_node with the new node's HOST:PORT.");
    }
    return {
      family: "add_node",
      count: r.count(/(\d+) (?:node|master|shard|replica)s?\b/) ?? 1,
      role,
      where: r.where,
      assumed: [],
    };
  },
  plan(intent, history, env) {
    if (intent.newNode) {
      const added = history.find((h) => h.call.tool === "cluster_add_node");
      const place = placeOf(intent.where);
      if (added) return { done: `${env.dryRun ? "Would add" : "Added"} ${intent.newNode} to the cluster at ${place} as a ${intent.role}${intent.role === "master" ? " (give it slots with a rebalance)" : ""}.` };
      return {
        call: { tool: "cluster_add_node", args: { nodes: intent.where.nodes!, newNode: intent.newNode, ...(intent.role === "replica" ? { replica: true } : {}) } },
        text: `Plan: join ${intent.newNode} to the cluster at ${place} as a ${intent.role} with cluster_add_node, then cluster_check.`,
      };
    }
    const at = whereOrOnlyLab(intent.where, history, "add its spare nodes", (lab) => `add a node to the cluster in lab ${lab}`);
    if (!("where" in at)) return at;
    return planSpareAdds(at.where.lab!, () => intent.count, intent.role, history, env);
  },
  verify: (intent, history) => checkStep(chosenPlace(intent.where, history) ?? intent.where),
});
