/**
 * The built-in planner's understanding of a request: a pure function from the
 * operator's sentence (and, for a create in a lab that already runs, that lab's facts)
 * to an intent (family + numbers + where) or a refusal that says why and what would
 * work. Deterministic, no network, table-tested.
 */
import { resolveClusterLayout } from "./cluster-layout.js";
import { existingLabProblem, type ExistingLab } from "./existing-lab.js";
import { plural, refuse, type Family, type ParseResult, type Where } from "./intent.js";
import { extractWhere } from "./where.js";
import { normalizeRequest } from "./words.js";

const count = (s: string, re: RegExp): number | undefined => {
  const m = re.exec(s);
  return m ? Number(m[1]) : undefined;
};

const CREATE = /\b(?:create|make|build|setup|deploy|spin|start|launch|bootstrap|provision|stand|bring|need|want|give|configure)\b/g;
const CHECK = /\b(?:check|verify|health|healthy|status|inspect|diagnose|validate|audit|ok)\b/;
const INFO = /\b(?:info|information|describe|topology|overview|show|display)\b/;
const DESTROY = /\b(?:delete|remove|destroy|stop|teardown|tear down|shut down|shutdown|kill|down|drop|wipe|terminate)\b/;
const NODE_NOUN = /\b(?:node|master|replica|shard)\b/;
/** Each-like words make a replica count per master: "each", "apiece", "per master", "every shard". */
const EACH = /\b(?:each|apiece|every|per)\b/;
/** "not sentinel", "without any replicas": a negated word picks no family. */
const NEGATED = /\b(?:not|no|without|never|instead of|rather than|don't)\s+(?:a |an |any |the |use |using )?\w+/g;
/** Zones named like cloud regions: us-east-1, eu-west-2a, europe-west1. */
const ZONE_NAME = /\b[a-z]{2,}(?:-[a-z]+)+-?\d+[a-z]?\b/g;
/** A failure the cluster must survive: its masters need replicas. */
const SURVIVES = /\b(?:surviv|tolerat|withstand|outliv|fault[\s-]toleran|highly available)/;
/** A zone (datacenter, region) failure to survive. */
const ZONE_FAILURE = /\b(?:surviv|tolerat|withstand|outliv|los[eis])\w*\b.*\bzone\b|\bzone (?:fail\w*|outage\w*|loss|down)\b/;

/** Operations on a cluster that exists, most specific first. */
const OPERATIONS: [Family, RegExp][] = [
  ["failover", /\b(?:failover|promote|takeover|switchover)\b/],
  ["reshard", /\breshard\b|\b(?:move|migrate) (?:\d+ )?slots?\b/],
  ["rebalance", /\brebalanc/],
  ["fix_cluster", /\b(?:fix|repair|heal|recover)\b/],
  ["node_fault", /\b(?:(?:take|bring|shut) down|kill|crash|stop|pause|freeze|isolate)\b.*\b(?:node|master|replica|shard)\b/],
  ["remove_node", /\b(?:remove|delete|del|drop|decommission|retire|evict)\b.*\b(?:node|master|replica|shard)\b|\bscale (?:in|down)\b|\bshrink\b/],
  ["add_replicas", /\b(?:add|attach)\b.*\breplica\b|\bmore replica\b/],
  ["add_node", /\b(?:add|expand|grow)\b.*\b(?:node|master|shard)\b|\bscale (?:out|up)\b/],
];

const isAction = (text: string): boolean => OPERATIONS.some(([, re]) => re.test(text)) || [CHECK, INFO, DESTROY].some((re) => re.test(text));

/** "cluster", or counts that only a cluster has (N nodes or shards, several masters) unless replication is named. */
const clusterNoun = (s: string): RegExp =>
  /\breplication\b/.test(s) ? /\bcluster\b/ : /\bcluster\b|\b\d+ (?:shard|node)\b|\b(?:[2-9]|\d\d+) master\b/;

/**
 * A create verb whose object is a cluster, with no other action between them. Words
 * after the cluster only describe it: "create a cluster that survives a failover" and
 * "create a cluster with 3 masters and add 1 replica to each" are creates.
 */
function createsCluster(s: string): boolean {
  const noun = clusterNoun(s);
  for (const verb of s.matchAll(CREATE)) {
    const after = s.slice(verb.index + verb[0].length);
    const object = noun.exec(after);
    if (object && !isAction(after.slice(0, object.index))) return true;
  }
  return false;
}

/**
 * Which family a normalized request belongs to. The rules, in order: negated words
 * pick nothing; lab housekeeping (list labs, stop a lab); sentinel; a create verb aimed
 * at a cluster; an operation verb; a check word; an info word; and last, a cluster
 * named with counts or a create verb ("3 masters without replicas"), or replication.
 */
function familyOf(request: string, labNamed: boolean): Family | undefined {
  const s = request.replace(NEGATED, " ");
  const aboutNodes = NODE_NOUN.test(s);
  if (DESTROY.test(s) && (labNamed || /\blab\b/.test(s)) && !aboutNodes && !/\bcluster\b/.test(s)) return "lab_down";
  if (/\blabs\b/.test(s) && !DESTROY.test(s)) return "lab_list";
  if (/\bsentinel\b/.test(s)) return "sentinel";
  if (createsCluster(s)) return "create_cluster";
  const op = OPERATIONS.find(([, re]) => re.test(s));
  if (op) return op[0];
  if (CHECK.test(s)) return "check_cluster";
  if (INFO.test(s)) return "cluster_info";
  const hasCounts = /\b\d+ (?:node|master|shard|replica)\b/.test(s);
  const createVerb = new RegExp(CREATE.source).test(s);
  if (clusterNoun(s).test(s) && (hasCounts || createVerb)) return "create_cluster";
  if (/\breplication\b|\breplica\b/.test(s)) return "replication";
  return undefined;
}

function zonesOf(s: string, named: number, assumed: string[]): number | undefined {
  const n = count(s, /(\d+) zone\b/) ?? (named > 0 ? named : undefined);
  const survivesZone = ZONE_FAILURE.test(s);
  if (n !== undefined && (n > 1 || !survivesZone)) return n;
  if (survivesZone) {
    assumed.push("3 zones, so a majority of masters (which a failover needs) outlives the loss of any one zone");
    return 3;
  }
  if (/\bmultizone\b|\b(?:across|over|spread|different|separate) zones?\b/.test(s)) {
    assumed.push("3 zones");
    return 3;
  }
  return undefined;
}

function replicasOf(s: string): { each?: number; total?: number } {
  if (/\b(?:no|without|zero|0) (?:any )?replica\b/.test(s)) return { each: 0 };
  const n = count(s, /(\d+) replica\b/);
  if (n === undefined) return {};
  return EACH.test(s) ? { each: n } : { total: n };
}

function createCluster(s: string, where: Where, namedZones: number, lab?: ExistingLab): ParseResult {
  const assumed: string[] = [];
  const masters = count(s, /(\d+) master\b/);
  const shards = count(s, /(\d+) shard\b/);
  if (masters !== undefined && shards !== undefined && masters !== shards) {
    return refuse("ambiguous", `The request names ${plural(masters, "master")} and ${plural(shards, "shard")}, and each shard has exactly one master.`, "Give one number of masters (or shards).");
  }
  const nodes = count(s, /(\d+) node\b/);
  const zones = zonesOf(s, namedZones, assumed);
  if (lab) {
    const problem = existingLabProblem(lab);
    if (problem) return problem;
    const asked = nodes !== undefined && nodes !== lab.nodes ? plural(nodes, "node") : zones !== undefined && zones !== lab.zones ? plural(zones, "zone") : undefined;
    if (asked) {
      return refuse("impossible", `Lab ${lab.name} has ${plural(lab.nodes, "node")} in ${plural(lab.zones, "zone")}, and the request asks for ${asked}.`, `Ask for a cluster without "lab ${lab.name}" to get a new lab of that size, or for the cluster in lab ${lab.name} as it is.`);
    }
  }
  const replicas = replicasOf(s);
  const resolved = resolveClusterLayout({
    nodes: lab?.nodes ?? nodes,
    masters: masters ?? shards,
    replicasEach: replicas.each,
    replicasTotal: replicas.total,
    zones: lab?.zones ?? zones,
    survivesFailure: SURVIVES.test(s),
    inLab: !where.target && !where.nodes,
  });
  if ("family" in resolved) {
    return lab ? { ...resolved, message: `Lab ${lab.name} has ${plural(lab.nodes, "node")}: ${resolved.message[0].toLowerCase()}${resolved.message.slice(1)}` } : resolved;
  }
  return { family: "create_cluster", layout: resolved.layout, where, assumed: [...resolved.assumed, ...assumed], ...(lab ? { inExistingLab: true } : {}) };
}

function sentinel(s: string, where: Where, namedZones: number): ParseResult {
  const assumed: string[] = [];
  const sentinels = count(s, /(\d+) sentinel\b/) ?? (assumed.push("3 sentinels"), 3);
  const majority = Math.floor(sentinels / 2) + 1;
  const quorum = count(s, /\bquorum (?:of |is |=|to )?(\d+)/) ?? count(s, /(\d+) quorum\b/) ?? (assumed.push(`quorum ${majority}`), majority);
  const replicas = replicasOf(s);
  const r = replicas.each ?? replicas.total ?? (assumed.push("2 replicas"), 2);
  // A failover needs a majority of all sentinels to authorize it, and must survive losing one.
  if (sentinels < 3) {
    return refuse(
      "impossible",
      `${plural(sentinels, "sentinel")} cannot authorize a failover after losing one: a failover needs a majority of the sentinels (${majority} of ${sentinels}), and only ${sentinels - 1} would be left.`,
      "Ask for 3 sentinels with quorum 2 (any one can be lost).",
    );
  }
  if (quorum < 1 || quorum > sentinels) {
    return refuse("impossible", `A quorum of ${quorum} can never be reached by ${plural(sentinels, "sentinel")}.`, `Ask for quorum ${majority} (a majority of ${sentinels}).`);
  }
  return { family: "sentinel", sentinels, quorum, replicas: r, zones: zonesOf(s, namedZones, assumed) ?? 1, where, assumed };
}

/**
 * lab: what the planner read about the lab a create request names, when that lab runs;
 * the cluster then uses its nodes instead of a new lab's.
 */
export function parseRequest(request: string, lab?: ExistingLab): ParseResult {
  const found = extractWhere(request);
  if ("family" in found) return found;
  const { where } = found;
  const zoneNames = new Set(found.rest.match(ZONE_NAME));
  const s = normalizeRequest(found.rest.replace(ZONE_NAME, " zone "));
  const family = familyOf(s, where.lab !== undefined);
  const assumed: string[] = [];
  switch (family) {
    case "create_cluster":
      return createCluster(s, where, zoneNames.size, lab && lab.name === where.lab ? lab : undefined);
    case "sentinel":
      return sentinel(s, where, zoneNames.size);
    case "replication": {
      const r = replicasOf(s);
      const replicas = r.each ?? r.total ?? (assumed.push("1 replica"), 1);
      if (replicas < 1) return refuse("impossible", "Replication needs at least one replica.", 'Ask for e.g. "replication with 2 replicas".');
      return { family, replicas, zones: zonesOf(s, zoneNames.size, assumed) ?? 1, where, assumed };
    }
    case "add_replicas":
      return { family, count: count(s, /(\d+) (?:node|replica)\b/) ?? (assumed.push("1 replica"), 1), where, assumed };
    case "add_node":
      return { family, count: count(s, /(\d+) (?:node|master|shard)\b/) ?? 1, role: /\breplica\b/.test(s) ? "replica" : "master", where, assumed };
    case "remove_node":
      return { family, count: count(s, /(\d+) (?:node|master|replica|shard)\b/) ?? 1, where, assumed };
    case "reshard":
      return { family, slots: count(s, /(\d+) slots?\b/), where, assumed };
    case "lab_down":
      // Destructive: never "the only lab there is" by default.
      if (!where.lab) return refuse("ambiguous", "The request does not name the lab to stop.", 'Say which, e.g. "stop lab demo" (see "list labs").');
      return { family, where, assumed };
    case undefined:
      return refuse(
        "unknown",
        "The built-in planner did not recognise this request.",
        'Try e.g. "create a 6-node cluster with 3 masters" or "check the cluster in lab demo", or set ANTHROPIC_API_KEY to use the Claude planner.',
      );
    default:
      return { family, where, assumed };
  }
}
