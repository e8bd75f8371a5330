/**
 * Normalizes an operator's request into a small vocabulary the parser matches on:
 * numbers in words become digits, synonyms become one canonical noun (master, replica,
 * node, shard, zone, sentinel), plurals are dropped. Pure text in, text out.
 */

const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19, dozen: 12, single: 1, pair: 2, couple: 2,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

/** "twenty four", "twenty-four", "six", "12" -> digits; everything else unchanged. */
export function wordsToDigits(text: string): string {
  const tens = Object.keys(TENS).join("|");
  const units = Object.keys(UNITS).join("|");
  return text
    .replace(new RegExp(`\\b(${tens})[\\s-](${units})\\b`, "g"), (_, t: string, u: string) => String(TENS[t] + UNITS[u]))
    .replace(new RegExp(`\\b(${tens})\\b`, "g"), (_, t: string) => String(TENS[t]))
    .replace(new RegExp(`\\b(${units})\\b`, "g"), (_, u: string) => String(UNITS[u]))
    // "a pair of replicas", "a dozen nodes": the article belongs to the number word.
    .replace(/\b(?:a|an)\s+(\d+)\s+of\b/g, "$1")
    .replace(/\b(\d+)\s+of\s+(?=\w)/g, "$1 ");
}

/** Longest phrases first, so "read replica" wins over "replica". */
const SYNONYMS: [RegExp, string][] = [
  [/\bread[\s-]+(?:only[\s-]+)?replicas?\b/g, "replica"],
  [/\b(?:replicas?|slaves?|secondar(?:y|ies)|followers?|copies|copy)\b/g, "replica"],
  [/\b(?:masters?|primar(?:y|ies)|leaders?)\b/g, "master"],
  [/\bshards?\b/g, "shard"],
  [/\b(?:nodes?|servers?|instances?|processes|process|machines?|hosts?)\b/g, "node"],
  [/\b(?:data[\s-]?cent(?:er|re)s?|dcs?|availability[\s-]+zones?|azs?|zones?|regions?|racks?|sites?)\b/g, "zone"],
  [/\bsentinels?\b/g, "sentinel"],
  [/\bfail[\s-]+over\b/g, "failover"],
  [/\bre[\s-]+shard(?:ing)?\b/g, "reshard"],
  [/\bset[\s-]+up\b|\bsetup\b/g, "setup"],
];

/**
 * Phrases whose numbers are not sizes, rewritten before the nouns are counted:
 * "on a single machine" says where (a lab is one machine), and a replication factor
 * counts copies, so factor N means N - 1 replicas per master.
 */
const PLACEMENT = /\b(?:on|in|onto) (?:a |the )?(?:1 |same |this |local |my )?(?:machine|host|box|computer|laptop|vm)\b/g;
const REPLICATION_FACTOR = /\b(?:replication[\s-]+factor|rf)\s*(?:of\s+|is\s+|=\s*)?(\d+)\b/g;
/** "survive 1 zone failure", "lose 2 nodes": the count names a failure, not a size. */
const FAILED_COUNT = /\b(\d+) (node|zone|master|replica|shard) (fail\w*|outage\w*|loss|crash\w*|down)\b/g;
const LOST_COUNT = /\b(los(?:e|es|ing)|loss of|surviv\w*|tolerat\w*|withstand\w*|outliv\w*)( up to)? (\d+) (node|zone|master|replica|shard)\b/g;

/** Lowercase, numbers as digits, canonical nouns, single spaces. */
export function normalizeRequest(text: string): string {
  let s = text.toLowerCase().replace(/[,;!?()"]+/g, " ").replace(/\.(?!\d)/g, " ");
  s = wordsToDigits(s);
  s = s.replace(PLACEMENT, " ").replace(REPLICATION_FACTOR, (m, n: string) => (Number(n) >= 1 ? `${Number(n) - 1} replica each` : m));
  for (const [re, word] of SYNONYMS) s = s.replace(re, word);
  // "6-node", "3-master": the hyphen only joins a count to its noun.
  s = s.replace(/(\d)\s*-\s*(?=[a-z])/g, "$1 ");
  // An article before a noun counts one: "a replica", "an extra node", "one master".
  s = s.replace(/\b(?:a|an|another|extra|additional)\s+(?:(?:new|extra|more|additional)\s+)?(replica|node|master|shard|sentinel)\b/g, "1 $1");
  s = s.replace(/\bmulti(?:ple)?[\s-]*zone\b/g, "multizone");
  s = s.replace(FAILED_COUNT, "$2 $3").replace(LOST_COUNT, "$1$2 $4");
  return s.replace(/\s+/g, " ").trim();
}
