/**
 * Parts of a request that change what must be built or done, and that a family must
 * honour or refuse: more than one cluster, replication between clusters, a role pinned
 * to one region, Docker, TLS, persistence, memory limits, versions, modules, a
 * password. A family honours a part by placing its words (when a tool takes it, e.g.
 * lab_up's password) or by its nature (Family.honours); any other part refuses the
 * request naming it, so nothing is answered by building something else.
 */
import type { Reading } from "./reading.js";

export interface RequestPart {
  id: string;
  /** What the words ask for, as a noun phrase. */
  what: string;
  /** Over normalized text (words.ts): region names read "zone", numbers are digits. */
  words: RegExp;
  /** What would work instead: one sentence starting Ask/Say/Give/Try. */
  next: string;
}

export const REQUEST_PARTS: readonly RequestPart[] = [
  {
    id: "clusters",
    what: "more than one cluster",
    words: /\b(?:[2-9]|\d\d+) clusters?\b|\bclusters\b|\b(?:another|second|third|2nd|3rd|other|both|each|every) (?:\w+ )?cluster\b/,
    next: 'Ask for one cluster per request, e.g. "create a cluster in lab east", then "create a cluster in lab west".',
  },
  {
    id: "cross_cluster_replication",
    what: "replication between clusters",
    words:
      /\bcross[\s-]?(?:cluster|zone)\b|\bgeo[\s-]?replicat\w*|\bactive[\s-]active\b|\bcrdts?\b|\breplicat\w* (?:\w+ ){0,3}(?:to|into|between|across|from|with) (?:\w+ ){0,3}cluster\b|\bcluster (?:\w+ ){0,3}replicat\w* (?:to|into|from|between)\b|\bmirror\w*\b/,
    next: 'Ask for one cluster whose replicas sit in other zones instead, e.g. "6 node cluster across 2 datacenters": Redis Cluster replicates inside a cluster, not between clusters.',
  },
  {
    id: "role_in_zone",
    what: "masters or replicas pinned to a named zone",
    words: /\b(?:master|replica)s? (?:only |all )?(?:in|on|at|into) (?:the |a )?(?:zone\b|same zone\b|1 zone\b|single zone\b)|\ball (?:the )?(?:master|replica)s? (?:in|on) (?:the |a )?(?:\w+ )?zone\b/,
    next: "Ask for a number of zones instead: the lab spreads masters over them and puts each replica in a zone other than its master's.",
  },
  {
    id: "docker",
    what: "Docker containers",
    words: /\b(?:docker|containers?|containeri[sz]ed|podman)\b/,
    next: 'Ask for a new lab in Docker ("create a docker cluster with 6 nodes"); a running lab or a target keeps what it runs on.',
  },
  {
    id: "kubernetes",
    what: "Kubernetes",
    words: /\b(?:kubernetes|k8s|helm|pods?)\b/,
    next: "Try a local lab, or a config target that lists the nodes your Kubernetes setup runs.",
  },
  {
    id: "tls",
    what: "TLS",
    words: /\b(?:tls|ssl|encrypted|encryption|certificates?)\b/,
    next: "Ask without TLS for a lab; for TLS servers, name a config target with its tls settings.",
  },
  {
    id: "persistence",
    what: "persistence settings",
    words: /\b(?:aof|appendonly|append only|rdb|persistence|persistent|fsync|snapshotting)\b/,
    next: "Ask without them; the lab runs Redis's defaults, and persistence is set on the servers themselves.",
  },
  {
    id: "memory",
    what: "a memory limit or eviction policy",
    words: /\b(?:maxmemory|max memory|memory limit|eviction|evict\w*|lru|lfu)\b|\b\d+(?:\.\d+)? ?(?:gb|mb|gib|mib|tb)\b/,
    next: "Ask without it; the lab runs Redis's defaults, and memory limits are set on the servers themselves.",
  },
  {
    id: "version",
    what: "a Redis version",
    words: /\b(?:redis|valkey|version|v)\s?\d+(?:\.\d+)*\b|\bvalkey\b|\bredis stack\b/,
    next: "Ask without it; the lab runs the redis-server found on PATH (or REDIS_SERVER).",
  },
  {
    id: "modules",
    what: "Redis modules",
    words: /\b(?:modules?|redisjson|rejson|redisearch|redis search|redisbloom|redistimeseries)\b/,
    next: "Ask without them; the lab runs plain redis-server.",
  },
  {
    id: "password",
    what: "a password",
    // xsecretx: a password in any phrasing (-a X, redis://:X@host ...), as reading.ts writes it.
    words: /\b(?:password|passwd|requirepass|masterauth|acl|auth)\b(?:\s+(?:is|of|to|as)\s+|\s*[=:]\s*|\s+)?(?:'[^']*'|"[^"]*"|[^\s'"`,;]+)?|\bxsecretx\b/,
    next: 'Give it with the request that starts the lab ("create a cluster with password S3cret-pw"), or in the config file for a target.',
  },
];

export interface LeftPart {
  part: RequestPart;
  /** The words that asked for it, as normalized. */
  words: string;
}

/** Parts the request names that no family placed and the family does not honour by nature. */
export function unhonouredParts(r: Reading, honours: readonly string[] = []): LeftPart[] {
  const left: LeftPart[] = [];
  for (const part of REQUEST_PARTS) {
    if (honours.includes(part.id)) continue;
    const m = part.words.exec(r.text);
    if (m && !r.isPlaced(m.index, m.index + m[0].length)) left.push({ part, words: m[0].trim() });
  }
  return left;
}
