/**
 * Words and counts more than one family reads, over normalized text (words.ts): the
 * action verbs, the node nouns, "each", negation, and the shared counts (replicas,
 * zones). Family files import these instead of restating them.
 */
import type { Reading } from "./reading.js";

export const CREATE = /\b(?:create|make|build|setup|deploy|spin|start|launch|bootstrap|provision|stand|bring|need|want|give|configure)\b/g;
export const CHECK = /\b(?:check|verify|health|healthy|status|inspect|diagnose|validate|audit|ok)\b/;
export const INFO = /\b(?:info|information|describe|topology|overview|show|display)\b/;
export const DESTROY = /\b(?:delete|remove|destroy|stop|teardown|tear down|shut down|shutdown|kill|down|drop|wipe|terminate)\b/;
export const NODE_NOUN = /\b(?:node|master|replica|shard)\b/;
/** Each-like words make a replica count per master: "each", "apiece", "per master", "every shard". */
export const EACH = /\b(?:each|apiece|every|per)\b/;
/** "not sentinel", "without any replicas": a negated word picks no family. */
export const NEGATED = /\b(?:not|no|without|never|instead of|rather than|don't)\s+(?:a |an |any |the |use |using )?\w+/g;
/** A failure the cluster must survive: its masters need replicas. */
export const SURVIVES = /\b(?:surviv|tolerat|withstand|outliv|fault[\s-]toleran|highly available)/;
/** A zone (datacenter, region) failure to survive. */
const ZONE_FAILURE = /\b(?:surviv|tolerat|withstand|outliv|los[eis])\w*\b.*\bzone\b|\bzone (?:fail\w*|outage\w*|loss|down)\b/;

/** "cluster", or counts that only a cluster has (several nodes, shards or masters) unless replication is named. */
export const clusterNoun = (s: string): RegExp =>
  /\breplication\b/.test(s) ? /\bcluster\b/ : /\bcluster\b|\b(?:[2-9]|\d\d+) (?:shard|node|master)\b/;

/** Replicas per master ("2 replicas each") or in total ("3 replicas"); "no replicas" is 0 each. */
export function replicasOf(r: Reading): { each?: number; total?: number } {
  if (r.place(/\b(?:no|without|zero|0) (?:any )?replica\b/)) return { each: 0 };
  const n = r.count(/(\d+) replica\b/);
  if (n === undefined) return {};
  return EACH.test(r.text) ? { each: n } : { total: n };
}

/** Zones asked for: a count, named regions, a zone failure to survive, or "across zones". */
export function zonesOf(r: Reading, assumed: string[]): number | undefined {
  const named = r.zoneNames.length;
  const n = r.count(/(\d+) zone\b/) ?? (named > 0 ? named : undefined);
  const survivesZone = ZONE_FAILURE.test(r.text);
  if (n !== undefined && (n > 1 || !survivesZone)) return n;
  if (survivesZone) {
    assumed.push("3 zones, so a majority of masters (which a failover needs) outlives the loss of any one zone");
    return 3;
  }
  if (/\bmultizone\b|\b(?:across|over|spread|different|separate) zones?\b/.test(r.text)) {
    assumed.push("3 zones");
    return 3;
  }
  return undefined;
}

/** What lab zones stand for when the request named regions ("us-east-1 as lab zone z1, ..."). */
export function zoneNamesNote(r: Reading): string | undefined {
  if (r.zoneNames.length === 0) return undefined;
  return `${r.zoneNames.map((name, i) => `${name} as lab zone z${i + 1}`).join(", ")} (loopback subnets 127.0.Z.x stand in for regions)`;
}
