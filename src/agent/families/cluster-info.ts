/**
 * "Cluster info of lab demo", and questions about a cluster's facts ("how many replicas
 * does lab demo have?", "which node is master?"): cluster_info on the named place (or
 * the only lab there is), answered from what it read. A read: nothing to verify.
 */
import { compareCounts, expectedCounts, type Expected } from "../expectations.js";
import { plural, refuse } from "../intent.js";
import { placeOf, whereArgs, whereOrOnlyLab } from "../lab-choice.js";
import { INFO, NODE_NOUN } from "../vocabulary.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface ClusterInfoIntent extends BaseIntent {
  family: "cluster_info";
  expected: Expected;
  /** "which master holds slot 0?" */
  slot?: number;
}

interface InfoOutput {
  nodes: { address: string; role: string; master?: string; slots: string; health: string; failedBy?: string[] }[];
  totals: { nodes: number; masters: number; replicas: number; slotsCovered: number; keys: number };
}

/** A question about what a cluster is made of. */
const FACTS = /\b(?:slots?|keys?|zones?|topology|cluster|lab|layout|role|epoch|id)\b/;

/** Whether "0-5460,10923" holds the slot. */
const holds = (ranges: string, slot: number): boolean =>
  ranges.split(",").some((r) => {
    const [a, b = a] = r.split("-").map(Number);
    return slot >= a && slot <= b;
  });

function slotOwner(out: InfoOutput, slot: number): string {
  const owner = out.nodes.find((n) => n.role === "master" && n.slots && holds(n.slots, slot));
  return owner ? ` Slot ${slot} is served by master ${owner.address}.` : ` No master serves slot ${slot}.`;
}

/** Members that are not ok, with who reports them. */
function unhealthy(out: InfoOutput): string {
  const bad = out.nodes.filter((n) => n.health !== "ok").map((n) => `${n.address} ${n.health}${n.failedBy?.length ? ` (by ${n.failedBy.join(", ")})` : ""}`);
  return bad.length ? ` Not ok: ${bad.join(", ")}.` : "";
}

/** The answer: totals, which nodes are masters, who serves the slot asked about, and the counts the request stated. */
function answer(out: InfoOutput, intent: ClusterInfoIntent, at: string): string {
  const t = out.totals;
  const masters = out.nodes.filter((n) => n.role === "master").map((n) => `${n.address} (${plural(out.nodes.filter((r) => r.master === n.address).length, "replica")})`);
  const { wrong, held } = compareCounts(intent.expected, t);
  const stated = [...wrong.map((w) => `it has ${w}`), ...held.map((h) => `it has ${h}, as the request says`)];
  return (
    `Read the cluster at ${at}: ${plural(t.nodes, "node")} (${plural(t.masters, "master")}, ${plural(t.replicas, "replica")}), ` +
    `${t.slotsCovered}/16384 slots covered, ${plural(t.keys, "key")}.` +
    (masters.length ? ` Masters: ${masters.join(", ")}.` : "") +
    (intent.slot !== undefined ? slotOwner(out, intent.slot) : "") +
    unhealthy(out) +
    (stated.length ? ` ${stated.join("; ").replace(/^i/, "I")}.` : "")
  );
}

export const clusterInfo = defineFamily<ClusterInfoIntent>({
  name: "cluster_info",
  doing: "Describing a Redis Cluster",
  example: "cluster info of lab demo",
  effect: "look",
  tools: ["cluster_info", "lab_list"],
  verbs: INFO,
  match: (r) => INFO.test(r.bare),
  fallback: (r) => r.question && (NODE_NOUN.test(r.bare) || FACTS.test(r.bare) || r.where.lab !== undefined || r.where.target !== undefined || r.where.nodes !== undefined),
  extract(r) {
    const slot = r.count(/\bslot (\d+)\b/);
    if (slot !== undefined && slot >= 16384) return refuse("impossible", `Slot ${slot} does not exist: a Redis Cluster has slots 0 to 16383.`, "Ask about a slot from 0 to 16383.");
    return { family: "cluster_info", where: r.where, assumed: [], expected: expectedCounts(r), ...(slot !== undefined ? { slot } : {}) };
  },
  plan(intent, history) {
    const at = whereOrOnlyLab(intent.where, history, "cluster_info it", (lab) => `cluster info of lab ${lab}`);
    if (!("where" in at)) return at;
    const read = history.find((o) => o.call.tool === "cluster_info");
    if (!read) return { call: { tool: "cluster_info", args: whereArgs(at.where) }, ...(at.found ? {} : { text: `Plan: cluster_info ${placeOf(at.where)}.` }) };
    return { done: read.result?.ok ? answer(read.result.output as unknown as InfoOutput, intent, placeOf(at.where)) : `Read the cluster at ${placeOf(at.where)}.` };
  },
});
