/**
 * Finds where a request wants to act: node addresses, a config target, a lab name.
 * Returns them with the text that mentioned them cut out, so numbers inside
 * addresses and names ("lab six", "127.0.0.1:7000") are never read as counts.
 */
import type { Where } from "./intent.js";

const NOT_A_NAME = new Set([
  "a", "an", "the", "my", "our", "your", "this", "that", "its", "it", "new", "fresh", "local", "existing", "same",
  "running", "sandbox", "docker", "with", "and", "of", "for", "in", "on", "to", "named", "called", "config", "is", "as",
]);

const ADDRESS = /(?:\[[0-9a-f:]+\]|\b(?:\d{1,3}\.){3}\d{1,3}|\blocalhost):\d{1,5}\b/g;
const NAME = `['"]?([a-z0-9][a-z0-9_-]{0,39})['"]?`;

interface Cut {
  value?: string;
  rest: string;
}

/** The first match of any pattern whose captured name is not a common word. */
function cutName(text: string, patterns: RegExp[]): Cut {
  for (const re of patterns) {
    for (const m of text.matchAll(new RegExp(re.source, "g"))) {
      if (!NOT_A_NAME.has(m[1])) return { value: m[1], rest: text.slice(0, m.index) + " " + text.slice(m.index! + m[0].length) };
    }
  }
  return { rest: text };
}

export function extractWhere(request: string): { where: Where; rest: string } {
  let rest = request.toLowerCase();
  const where: Where = {};
  const nodes = rest.match(ADDRESS);
  if (nodes) {
    where.nodes = [...new Set(nodes)];
    rest = rest.replace(ADDRESS, " ");
  }
  const target = cutName(rest, [new RegExp(`\\btarget\\s+(?:named\\s+|called\\s+)?${NAME}`), new RegExp(`\\b${NAME}\\s+target\\b`)]);
  if (target.value) [where.target, rest] = [target.value, target.rest];
  const lab = cutName(rest, [
    new RegExp(`\\blab\\s+(?:named\\s+|called\\s+)?${NAME}`),
    new RegExp(`\\b(?:named|called)\\s+${NAME}`),
    new RegExp(`\\b${NAME}\\s+lab\\b`),
  ]);
  if (lab.value) [where.lab, rest] = [lab.value, lab.rest];
  return { where, rest };
}
