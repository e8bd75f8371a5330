/**
 * The built-in planner's understanding of a request: a pure function from the
 * operator's sentence to an intent (family + numbers + where) or a refusal that
 * says why and what would work. Deterministic, no network, table-tested.
 */
import { resolveClusterLayout } from "./cluster-layout.js";
import { plural, refuse, type Intent, type ParseResult, type Where } from "./intent.js";
import { extractWhere } from "./where.js";
import { normalizeRequest } from "./words.js";

const count = (s: string, re: RegExp): number | undefined => {
  const m = re.exec(s);
  return m ? Number(m[1]) : undefined;
};

const CREATE = /\b(?:create|make|build|setup|deploy|spin|start|launch|bootstrap|provision|stand|bring|need|want|give|configure)\b/;
const CHECK = /\b(?:check|verify|health|healthy|status|inspect|diagnose|validate|audit|ok)\b/;
const EACH = String.raw`(?:each|apiece|per (?:master|shard|node)|for (?:each|every) (?:master|shard)|behind (?:each|every) master)`;

/** Which family a normalized request belongs to; order matters (the most specific verb wins). */
function familyOf(s: string, hasCounts: boolean): Intent["family"] | undefined {
  if (/\bsentinel\b/.test(s)) return "sentinel";
  if (/\b(?:failover|promote|takeover|switchover)\b/.test(s)) return "failover";
  if (/\breshard\b|\b(?:move|migrate) (?:\d+ )?slots?\b/.test(s)) return "reshard";
  if (/\brebalanc/.test(s)) return "rebalance";
  if (/\b(?:fix|repair|heal|recover)\b/.test(s)) return "fix_cluster";
  if (/\b(?:remove|delete|del|drop|decommission|retire|evict)\b.*\b(?:node|master|replica|shard)\b|\bscale (?:in|down)\b|\bshrink\b/.test(s)) return "remove_node";
  if (/\b(?:add|attach)\b.*\breplica\b|\bmore replica\b/.test(s)) return "add_replicas";
  if (/\b(?:add|expand|grow)\b.*\b(?:node|master|shard)\b|\bscale (?:out|up)\b/.test(s)) return "add_node";
  // Several masters, shards or a node count mean a cluster even when the word is missing.
  const cluster = /\bcluster\b/.test(s) || (!/\breplication\b/.test(s) && /\b(?:\d+ (?:shard|node)|(?:[2-9]|\d\d+) master)\b/.test(s));
  const create = CREATE.exec(s);
  const check = CHECK.exec(s);
  if (cluster && (hasCounts || (create && (!check || create.index < check.index)))) return "create_cluster";
  if (check) return "check_cluster";
  if (/\breplication\b|\breplica\b/.test(s)) return "replication";
  if (cluster && create) return "create_cluster";
  return undefined;
}

function zonesOf(s: string, assumed: string[]): number | undefined {
  const n = count(s, /(\d+) zone\b/);
  if (n !== undefined) return n;
  if (/\bmultizone\b|\b(?:across|over|spread|different|separate) zones?\b/.test(s)) {
    assumed.push("3 zones");
    return 3;
  }
  return undefined;
}

function replicasOf(s: string): { each?: number; total?: number } {
  if (/\b(?:no|without|zero|0) replica\b/.test(s)) return { each: 0 };
  const each =
    count(s, new RegExp(String.raw`(\d+) replica ${EACH}`)) ??
    count(s, new RegExp(String.raw`\b(?:each|every) (?:master|shard)? ?(?:with|has|having|gets?|getting) (\d+) replica`)) ??
    count(s, /\bwith (\d+) replica (?:on|for|behind) (?:each|every|them)\b/);
  return each !== undefined ? { each } : { total: count(s, /(\d+) replica\b/) };
}

function createCluster(s: string, where: Where): ParseResult {
  const assumed: string[] = [];
  const masters = count(s, /(\d+) master\b/);
  const shards = count(s, /(\d+) shard\b/);
  if (masters !== undefined && shards !== undefined && masters !== shards) {
    return refuse("ambiguous", `The request names ${plural(masters, "master")} and ${plural(shards, "shard")}, and each shard has exactly one master.`, "Give one number of masters (or shards).");
  }
  const replicas = replicasOf(s);
  const resolved = resolveClusterLayout({
    nodes: count(s, /(\d+) node\b/),
    masters: masters ?? shards,
    replicasEach: replicas.each,
    replicasTotal: replicas.total,
    zones: zonesOf(s, assumed),
    inLab: !where.target && !where.nodes,
  });
  if ("family" in resolved) return resolved;
  return { family: "create_cluster", layout: resolved.layout, where, assumed: [...resolved.assumed, ...assumed] };
}

function sentinel(s: string, where: Where): ParseResult {
  const assumed: string[] = [];
  const sentinels = count(s, /(\d+) sentinel\b/) ?? (assumed.push("3 sentinels"), 3);
  const majority = Math.floor(sentinels / 2) + 1;
  const quorum = count(s, /\bquorum (?:of |is |=|to )?(\d+)/) ?? count(s, /(\d+) quorum\b/) ?? (assumed.push(`quorum ${majority}`), majority);
  const replicas = replicasOf(s);
  const r = replicas.each ?? replicas.total ?? (assumed.push("2 replicas"), 2);
  if (sentinels < 1) return refuse("impossible", "Sentinel needs at least one sentinel process.", "Ask for 3 sentinels with quorum 2.");
  if (quorum < 1 || quorum > sentinels) {
    return refuse("impossible", `A quorum of ${quorum} can never be reached by ${plural(sentinels, "sentinel")}.`, `Ask for quorum ${majority} (a majority of ${sentinels}).`);
  }
  return { family: "sentinel", sentinels, quorum, replicas: r, zones: zonesOf(s, assumed) ?? 1, where, assumed };
}

export function parseRequest(request: string): ParseResult {
  const { where, rest } = extractWhere(request);
  const s = normalizeRequest(rest);
  const hasCounts = /\d+ (?:node|master|shard|replica)\b/.test(s);
  const family = familyOf(s, hasCounts);
  const assumed: string[] = [];
  switch (family) {
    case "create_cluster":
      return createCluster(s, where);
    case "sentinel":
      return sentinel(s, where);
    case "replication": {
      const r = replicasOf(s);
      const replicas = r.each ?? r.total ?? (assumed.push("1 replica"), 1);
      if (replicas < 1) return refuse("impossible", "Replication needs at least one replica.", 'Ask for e.g. "replication with 2 replicas".');
      return { family, replicas, zones: zonesOf(s, assumed) ?? 1, where, assumed };
    }
    case "add_replicas":
      return { family, count: count(s, /(\d+) replica\b/) ?? (assumed.push("1 replica"), 1), where, assumed };
    case "add_node":
      return { family, count: count(s, /(\d+) (?:node|master|shard)\b/) ?? 1, role: /\breplica\b/.test(s) ? "replica" : "master", where, assumed };
    case "remove_node":
      return { family, count: count(s, /(\d+) (?:node|master|replica|shard)\b/) ?? 1, where, assumed };
    case "reshard":
      return { family, slots: count(s, /(\d+) slots?\b/), where, assumed };
    case "check_cluster":
    case "fix_cluster":
    case "rebalance":
    case "failover":
      return { family, where, assumed };
    default:
      return refuse(
        "unknown",
        "The built-in planner did not recognise this request.",
        'Try e.g. "create a 6-node cluster with 3 masters" or "check the cluster in lab demo", or set ANTHROPIC_API_KEY to use the Claude planner.',
      );
  }
}
