/**
 * "Implement a multi-datacenter Redis deployment", "geo-distributed cluster over 5
 * regions", "multi-DC Redis with Sentinel": Redis spread over datacenters (lab zones) so
 * that losing one leaves a majority to fail over. A Cluster puts one master per zone and
 * every replica outside its master's zone (templates multi-dc for 3 zones, geo for 5,
 * else lab_up + cluster_create); Sentinel runs the multi-dc-sentinel template (3 zones,
 * a sentinel per zone). Two zones are refused: losing the larger one loses the majority.
 */
import { plural, refuse, type Refusal } from "../intent.js";
import { placeOf } from "../lab-choice.js";
import type { Reading } from "../reading.js";
import { CREATE, replicasOf, zonesOf } from "../vocabulary.js";
import { defineFamily, type BaseIntent, type Next } from "./family.js";

export interface MultiDcIntent extends BaseIntent {
  family: "multi_dc";
  deployment: "cluster" | "sentinel";
  zones: number;
  /** Cluster: replicas per master; Sentinel: fixed by the template (3 replicas). */
  replicas: number;
  backend?: "docker";
}

/** Normalized text reads datacenters, regions and sites as "zone" (words.ts). */
const MULTI_DC = /\bmultizone\b|\bmulti[\s-]?(?:dc|region|site)\b|\bgeo\b|\bgeo[\s-]?(?:distributed|redundant|replicated)\b|\bgeographic(?:al(?:ly)?)?\b/;
const DEPLOY_ACROSS = /\b(?:deploy|deployment|implement|architecture|topology)\b.*\b(?:across|over|in|spanning|between) (?:\d+ )?zone\b|\bredis\b(?!.*\bcluster\b).*\b(?:across|over|spanning|between) (?:\d+ )?zone\b/;
/** The shared CREATE words, without the g flag (a global regex's test() would move its lastIndex for everyone). */
const CREATE_VERB = new RegExp(CREATE.source);
const DOCKER = /\b(?:docker|containers?|containeri[sz]ed)\b/;
const GEO = /\bgeo\b|\bgeo[\s-]?(?:distributed|redundant|replicated)\b|\bgeographic/;

/**
 * A cluster the request lays out itself (a create verb, or node, master or replica counts):
 * create_cluster builds exactly that over the zones; this family takes layouts left to it.
 */
function explicitCluster(r: Reading): boolean {
  if (!/\bcluster\b/.test(r.bare) || /\bsentinel\b/.test(r.bare)) return false;
  return CREATE_VERB.test(r.bare) || /\d+ (?:node|master|shard|replica)\b/.test(r.bare);
}

function extract(r: Reading): MultiDcIntent | Refusal {
  if (r.where.target || r.where.nodes || r.where.lab) {
    return refuse("unhonoured", `A multi-datacenter layout is built on a new lab, zone by zone; ${placeOf(r.where)} keeps the placement it has.`, "Ask without naming a place, or check the existing placement with cluster_check (replica_same_zone findings).");
  }
  const assumed: string[] = [];
  const sentinel = /\bsentinel\b/.test(r.bare);
  if (!sentinel && !/\bcluster\b/.test(r.bare)) assumed.push("Redis Cluster (say Sentinel for one master with replicas and sentinels)");
  const geo = GEO.test(r.bare);
  const zones = zonesOf(r, assumed) ?? (assumed.push(geo ? "5 zones (regions)" : "3 zones (datacenters)"), geo ? 5 : 3);
  if (zones < 3) {
    return refuse(
      "impossible",
      `${plural(zones, "datacenter")} cannot survive losing ${zones === 2 ? "the one holding more masters (or sentinels)" : "it"}: a failover needs a majority, which no single zone of two can keep.`,
      "Ask for 3 datacenters (or more): any one can then be lost.",
    );
  }
  const backend = DOCKER.test(r.text) && r.toolTakes("lab_up", "backend") ? (r.place(DOCKER), "docker" as const) : undefined;
  if (sentinel) {
    if (zones !== 3) return refuse("unhonoured", `The built-in planner builds Sentinel over 3 datacenters (one sentinel each); ${zones} were asked.`, "Ask for 3 datacenters, or for a Redis Cluster across more.");
    // The Cluster variants need only cluster tools; Sentinel's verification needs its own.
    if (!r.toolTakes("sentinel_check", "lab")) {
      return refuse("unhonoured", "A multi-datacenter Sentinel deployment is verified with sentinel_check, which this version of redis-pilot does not have.", 'Ask for a multi-datacenter Redis Cluster instead: "implement a multi-datacenter redis cluster".');
    }
    return { family: "multi_dc", deployment: "sentinel", zones, replicas: 3, ...(backend ? { backend } : {}), where: r.where, assumed };
  }
  const masters = r.count(/(\d+) (?:master|shard)\b/);
  if (masters !== undefined && masters !== zones) {
    return refuse("unhonoured", `A multi-datacenter cluster here puts one master in each datacenter: ${plural(zones, "datacenter")} give ${plural(zones, "master")}, not ${masters}.`, `Ask for ${plural(zones, "datacenter")} and ${zones} masters, or use "create a cluster" for another layout.`);
  }
  const nodes = r.count(/(\d+) node\b/);
  const each = replicasOf(r).each;
  const replicas = nodes !== undefined ? nodes / zones - 1 : each ?? (assumed.push(zones === 5 ? "1 replica per master, in another zone" : "2 replicas per master, one in each other zone"), zones === 5 ? 1 : 2);
  if (!Number.isInteger(replicas) || replicas < 1 || (each !== undefined && each !== replicas)) {
    return refuse("impossible", `${plural(nodes ?? 0, "node")} over ${plural(zones, "datacenter")} do not make one master per datacenter with the same number of replicas each.`, `Ask for ${zones * 2} or ${zones * 3} nodes (1 or 2 replicas per master).`);
  }
  return { family: "multi_dc", deployment: "cluster", zones, replicas, ...(backend ? { backend } : {}), where: r.where, assumed };
}

/** The template for the layout, when one builds it in one lab_up. */
function templateFor(i: MultiDcIntent): string | undefined {
  if (i.deployment === "sentinel") return "multi-dc-sentinel";
  return i.zones === 3 ? "multi-dc" : i.zones === 5 ? "geo" : undefined;
}

function plan(i: MultiDcIntent, history: readonly { call: { tool: string } }[], env: { dryRun: boolean; newLab: string }): Next {
  const lab = env.newLab;
  const template = templateFor(i);
  const backend = i.backend ? { backend: i.backend } : {};
  const what = i.deployment === "sentinel" ? "the master and a local replica in z1, two replicas in z2 and in z3, one sentinel per zone, min-replicas-to-write 2" : `${i.zones} masters, one per zone, each with ${plural(i.replicas, "replica")} outside its zone`;
  if (!history.some((o) => o.call.tool === "lab_up")) {
    const args = template ? { name: lab, template, ...(i.deployment === "cluster" ? { replicas: i.replicas } : {}), ...backend } : { name: lab, nodes: i.zones * (1 + i.replicas), zones: i.zones, ...backend };
    const steps = template ? `lab_up with the ${template} template` : "lab_up, then cluster_create";
    return { call: { tool: "lab_up", args }, text: `Plan: ${steps} in lab ${lab} over ${plural(i.zones, "zone")} (${what}), then verify.` };
  }
  if (!template && !history.some((o) => o.call.tool === "cluster_create")) return { call: { tool: "cluster_create", args: { lab, replicas: i.replicas } } };
  return { done: `${env.dryRun ? "Would build" : "Built"} a multi-datacenter ${i.deployment === "sentinel" ? "Sentinel deployment" : "Redis Cluster"} in lab ${lab}: ${what}.` };
}

export const multiDc = defineFamily<MultiDcIntent>({
  name: "multi_dc",
  doing: "Building a multi-datacenter Redis deployment",
  example: "implement a multi-datacenter redis deployment",
  effect: "change",
  tools: ["lab_up", "cluster_create", "cluster_check"],
  match: (r) => GEO.test(r.bare) || ((MULTI_DC.test(r.bare) || DEPLOY_ACROSS.test(r.bare)) && !explicitCluster(r)),
  extract,
  plan,
  verify: (i, _h, env) =>
    i.deployment === "sentinel" ? { tool: "sentinel_check", args: { lab: env.newLab } } : { tool: "cluster_check", args: { lab: env.newLab, replicasPerMaster: i.replicas } },
  verifiedBy: ["cluster_check", "sentinel_check", "cluster_create"],
});
