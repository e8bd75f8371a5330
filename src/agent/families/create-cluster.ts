/**
 * "Create a 6-node Redis Cluster with 3 masters": a new lab of the right size (or the
 * named lab's nodes, a target, addresses), then cluster_create, which verifies the
 * cluster before it returns. The numbers become one layout (cluster-layout.ts) or a
 * refusal that says why and what would work.
 */
import { secretsInText } from "../transcript.js";
import { describe, resolveClusterLayout } from "../cluster-layout.js";
import { existingLabProblem } from "../existing-lab.js";
import { plural, refuse, type ClusterLayout, type Refusal } from "../intent.js";
import { placeOf, whereArgs } from "../lab-choice.js";
import { SECRET_WORD, type Reading } from "../reading.js";
import { CREATE, SURVIVES, clusterNoun, replicasOf, zoneNamesNote, zonesOf } from "../vocabulary.js";
import { defineFamily, type BaseIntent, type PlanEnv, type Step } from "./family.js";

export interface CreateClusterIntent extends BaseIntent {
  family: "create_cluster";
  layout: ClusterLayout;
  /** where.lab names a lab that already runs; the plan uses its nodes. */
  inExistingLab?: boolean;
  /** A new lab on this lab_up backend (only when lab_up takes one). */
  backend?: string;
  /** requirepass for a new lab (only when lab_up takes one). */
  password?: string;
}

const DOCKER = /\b(?:docker|containers?|containeri[sz]ed)\b/;
const PASSWORD = /\b(?:password|passwd|requirepass|auth)\b(?:\s+(?:is|of|to|as)\s+|\s*[=:]\s*|\s+)?(?:'[^']*'|"[^"]*"|[^\s'"`,;]+)?/;

/**
 * A create verb whose object is a cluster, with no other action between them. Words
 * after the cluster only describe it: "create a cluster that survives a failover" and
 * "create a cluster with 3 masters and add 1 replica to each" are creates.
 */
function createsCluster(r: Reading): boolean {
  const s = r.bare;
  const noun = clusterNoun(s);
  for (const verb of s.matchAll(CREATE)) {
    const after = s.slice(verb.index + verb[0].length);
    const object = noun.exec(after);
    if (object && !r.isAction(after.slice(0, object.index))) return true;
  }
  return false;
}

/** A new lab's extras the registry's lab_up takes: a backend, a password. Their words count as placed. */
function labExtras(r: Reading): Pick<CreateClusterIntent, "backend" | "password"> {
  const out: Pick<CreateClusterIntent, "backend" | "password"> = {};
  if (DOCKER.test(r.text) && r.toolTakes("lab_up", "backend")) {
    r.place(DOCKER);
    out.backend = "docker";
  }
  const [password] = secretsInText(r.raw);
  if (password && r.toolTakes("lab_up", "password")) {
    r.place(PASSWORD);
    r.place(new RegExp(`\\b${SECRET_WORD}\\b`));
    out.password = password;
  }
  return out;
}

function extract(r: Reading): CreateClusterIntent | Refusal {
  const { where } = r;
  const lab = r.lab && r.lab.name === where.lab ? r.lab : undefined;
  const assumed: string[] = [];
  // "6 nodes, three of them masters": words.ts reads "3 of them" as "3 them".
  const masters = r.count(/(\d+) (?:them |those )?master\b/);
  const shards = r.count(/(\d+) shard\b/);
  if (masters !== undefined && shards !== undefined && masters !== shards) {
    return refuse("ambiguous", `The request names ${plural(masters, "master")} and ${plural(shards, "shard")}, and each shard has exactly one master.`, "Give one number of masters (or shards).");
  }
  const nodes = r.count(/(\d+) node\b/);
  const zones = zonesOf(r, assumed);
  const newLab = !where.target && !where.nodes && !lab;
  if (!newLab && !lab && (r.zoneNames.length || (zones ?? 1) > 1)) {
    return refuse(
      "unhonoured",
      `Zones in a request shape a new lab; ${placeOf(where)} has the zones its config gives (none for bare addresses).`,
      "Ask without zones: cluster_create places each replica away from its master's host and configured zone.",
    );
  }
  if (lab) {
    const problem = existingLabProblem(lab);
    if (problem) return problem;
    const asked = nodes !== undefined && nodes !== lab.nodes ? plural(nodes, "node") : zones !== undefined && zones !== lab.zones ? plural(zones, "zone") : undefined;
    if (asked) {
      return refuse("impossible", `Lab ${lab.name} has ${plural(lab.nodes, "node")} in ${plural(lab.zones, "zone")}, and the request asks for ${asked}.`, `Ask for a cluster without "lab ${lab.name}" to get a new lab of that size, or for the cluster in lab ${lab.name} as it is.`);
    }
  }
  const extras = newLab ? labExtras(r) : {};
  const replicas = replicasOf(r);
  const resolved = resolveClusterLayout({
    nodes: lab?.nodes ?? nodes,
    masters: masters ?? shards,
    replicasEach: replicas.each,
    replicasTotal: replicas.total,
    zones: lab?.zones ?? zones,
    survivesFailure: SURVIVES.test(r.text),
    inLab: !where.target && !where.nodes,
  });
  if ("family" in resolved) {
    return lab ? { ...resolved, message: `Lab ${lab.name} has ${plural(lab.nodes, "node")}: ${resolved.message[0].toLowerCase()}${resolved.message.slice(1)}` } : resolved;
  }
  const regions = newLab ? zoneNamesNote(r) : undefined;
  return {
    family: "create_cluster",
    layout: resolved.layout,
    where,
    assumed: [...resolved.assumed, ...assumed, ...(regions ? [regions] : [])],
    ...(lab ? { inExistingLab: true } : {}),
    ...extras,
  };
}

function steps(intent: CreateClusterIntent, env: PlanEnv): { calls: Step[]; plan: string; done: string } {
  const created = env.dryRun ? "Would create" : "Created";
  const { layout } = intent;
  const shape = `${describe(layout.masters, layout.replicasPerMaster)} (${layout.nodes} nodes${layout.zones > 1 ? ` over ${layout.zones} zones` : ""})`;
  const create = { replicas: layout.replicasPerMaster, masters: layout.masters };
  if (intent.where.target || intent.where.nodes || intent.inExistingLab) {
    const where = placeOf(intent.where);
    return {
      calls: [{ tool: "cluster_create", args: { ...whereArgs(intent.where), ...create } }],
      plan: `Plan: cluster_create on ${where} with ${shape}; it verifies the cluster before it returns.`,
      done: `${created} a Redis Cluster ${intent.where.lab ? "in" : "on"} ${where}: ${shape}.`,
    };
  }
  const lab = intent.where.lab ?? env.newLab;
  const extras = { ...(intent.backend ? { backend: intent.backend } : {}), ...(intent.password ? { password: intent.password } : {}) };
  return {
    calls: [
      { tool: "lab_up", args: { name: lab, nodes: layout.nodes, cluster: true, zones: layout.zones, ...extras } },
      { tool: "cluster_create", args: { lab, ...create } },
    ],
    plan: `Plan: lab_up starts lab ${lab} with ${layout.nodes} empty nodes${intent.backend ? ` (${intent.backend})` : ""}, then cluster_create makes ${shape} and verifies it before it returns.`,
    done: `${created} a Redis Cluster in lab ${lab}: ${shape}.`,
  };
}

export const createCluster = defineFamily<CreateClusterIntent>({
  name: "create_cluster",
  doing: "Creating a Redis Cluster",
  example: "create a 6-node cluster with 3 masters",
  effect: "change",
  tools: ["lab_up", "cluster_create"],
  match: createsCluster,
  // "3 masters without replicas", "a 6 node cluster across 3 zones": a cluster named with counts or a create verb.
  fallback: (r) => clusterNoun(r.bare).test(r.bare) && (/\b\d+ (?:node|master|shard|replica)\b/.test(r.bare) || new RegExp(CREATE.source).test(r.bare)),
  readsLab: true,
  extract,
  plan(intent, history, env) {
    const { calls, plan, done } = steps(intent, env);
    if (history.length < calls.length) return { call: calls[history.length], ...(history.length === 0 ? { text: plan } : {}) };
    const made = history.find((o) => o.call.tool === "cluster_create")?.result;
    const masters = made?.ok && made.output.applied ? (made.output.masters as { address: string }[]).map((m) => m.address) : [];
    return { done: masters.length ? `${done} Masters: ${masters.join(", ")}.` : done };
  },
  verify: (intent, _history, env) => ({
    tool: "cluster_check",
    args: { ...whereArgs(intent.where.lab || intent.where.target || intent.where.nodes ? intent.where : { lab: env.newLab }), replicasPerMaster: intent.layout.replicasPerMaster },
  }),
  verifiedBy: ["cluster_create", "cluster_check"],
});
