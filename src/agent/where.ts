/**
 * Finds where a request wants to act: node addresses (a port range counts each port),
 * a config target, a lab name. Returns them with the text that mentioned them cut out,
 * so numbers inside addresses and names ("lab six", "127.0.0.1:7000") are never read as
 * counts. A word of the request vocabulary ("cluster", "6-node") is never a name.
 */
import { refuse, type Refusal, type Where } from "./intent.js";
import { normalizeRequest } from "./words.js";

const NOT_A_NAME = new Set([
  "a", "an", "the", "my", "our", "your", "this", "that", "its", "it", "new", "fresh", "local", "existing", "same",
  "running", "sandbox", "docker", "with", "and", "of", "for", "in", "on", "to", "named", "called", "config", "is", "as",
  "environment", "env", "setup", "mode", "up", "down", "status", "info", "please", "first", "then", "instead",
  "has", "have", "had", "was", "were", "does", "do", "did", "at", "from", "by", "so", "or", "if", "but", "which",
]);
/** Nouns the parser counts; "6 node lab" and "lab cluster" name no lab. */
const VOCABULARY = /^(?:\d+ )?(?:node|master|replica|shard|zone|sentinel|cluster|replication)$/;

const ADDRESS = /(\[[0-9a-f:]+\]|\b(?:\d{1,3}\.){3}\d{1,3}|\blocalhost):(\d{1,5})(?:-(\d{1,5}))?\b/g;
const NAME = `['"]?([a-z0-9][a-z0-9_-]{0,39})['"]?`;
/** Longest port range a request may spell out ("127.0.0.1:7000-7005" is six nodes). */
export const MAX_PORT_RANGE = 1000;

const TARGET_NAMES = [new RegExp(`\\btarget\\s+(?:named\\s+|called\\s+)?${NAME}`), new RegExp(`\\b${NAME}\\s+target\\b`)];
const LAB_NAMES = [
  new RegExp(`\\blab\\s+(?:named\\s+|called\\s+)?${NAME}`),
  new RegExp(`\\b(?:named|called)\\s+${NAME}`),
  new RegExp(`\\b${NAME}\\s+lab\\b`),
];

interface Cut {
  value?: string;
  rest: string;
}

const isName = (word: string): boolean => !NOT_A_NAME.has(word) && !VOCABULARY.test(normalizeRequest(word));

/** The first match of any pattern whose captured name is not a common word. */
function cutName(text: string, patterns: RegExp[]): Cut {
  for (const re of patterns) {
    for (const m of text.matchAll(new RegExp(re.source, "g"))) {
      if (isName(m[1])) return { value: m[1], rest: text.slice(0, m.index) + " " + text.slice(m.index! + m[0].length) };
    }
  }
  return { rest: text };
}

/** Each address, with a port range "HOST:7000-7005" spelled out port by port. */
function addresses(text: string): string[] | Refusal {
  const out: string[] = [];
  for (const [, host, first, last] of text.matchAll(ADDRESS)) {
    const [from, to] = [Number(first), Number(last ?? first)];
    if (to < from || to - from >= MAX_PORT_RANGE) {
      return refuse("impossible", `The port range ${host}:${first}-${last} names ${to < from ? "no port (it runs backwards)" : `${to - from + 1} ports`}.`, `Give a range from low to high of at most ${MAX_PORT_RANGE} ports, e.g. ${host}:7000-7005.`);
    }
    for (let port = from; port <= to; port++) out.push(`${host}:${port}`);
  }
  return [...new Set(out)];
}

export function extractWhere(request: string): { where: Where; rest: string } | Refusal {
  let rest = request.toLowerCase();
  const where: Where = {};
  const nodes = addresses(rest);
  if (!Array.isArray(nodes)) return nodes;
  if (nodes.length) {
    where.nodes = nodes;
    rest = rest.replace(ADDRESS, " ");
  }
  const target = cutName(rest, TARGET_NAMES);
  if (target.value) [where.target, rest] = [target.value, target.rest];
  const lab = cutName(rest, LAB_NAMES);
  if (lab.value) [where.lab, rest] = [lab.value, lab.rest];
  // A second name would be dropped: refuse it, naming both.
  for (const [kind, patterns] of [["target", TARGET_NAMES], ["lab", LAB_NAMES]] as const) {
    const second = where[kind] ? cutName(rest, patterns).value : undefined;
    if (second && second !== where[kind]) {
      return refuse("unhonoured", `The request names two ${kind}s (${where[kind]} and ${second}), and the built-in planner acts on one place per request.`, `Ask for one ${kind} per request: the same words with only "${kind} ${where[kind]}".`);
    }
  }
  return { where, rest };
}
