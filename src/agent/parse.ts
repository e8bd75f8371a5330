/**
 * The built-in planner's understanding of a request: a pure function from the
 * operator's sentence (and, for a family that reads it, the named lab's facts) to an
 * intent of one family or a refusal that says why and what would work. Which family
 * takes it is the families' own matching, in list order (families/index.ts); a
 * question goes only to families that look. Whatever the family did not place (a
 * number, a second cluster, replication between clusters) refuses the request, naming
 * it. Deterministic, no network, table-tested.
 */
import type { AnyTool } from "../registry/tool.js";
import type { ExistingLab } from "./existing-lab.js";
import { FAMILIES, type ParseResult } from "./families/index.js";
import type { AnyFamily } from "./families/family.js";
import { refuse, type Refusal } from "./intent.js";
import { Reading } from "./reading.js";
import { unhonouredParts } from "./request-parts.js";
import { extractWhere } from "./where.js";

export interface ParseOptions {
  /** Facts of the lab the request names (read by the planner for families with readsLab). */
  lab?: ExistingLab;
  /** The registry: a family honours some parts only when a tool takes them (lab_up's password). */
  tools?: readonly AnyTool[];
}

const lower = (doing: string): string => `${doing[0].toLowerCase()}${doing.slice(1)}`;

const isAction = (text: string): boolean => FAMILIES.some((f) => f.verbs?.test(text));

/** The request as families read it, or a refusal about where it acts (a bad port range, two labs). */
export function readRequest(request: string, opts: ParseOptions = {}): Reading | Refusal {
  const found = extractWhere(request);
  if ("family" in found) return found;
  return new Reading({ raw: request, where: found.where, rest: found.rest, lab: opts.lab, tools: opts.tools, isAction });
}

/** The family that takes the request: matches first, then fallbacks, in list order; questions only to families that look. */
export function matchFamily(r: Reading, families: readonly AnyFamily[] = FAMILIES): AnyFamily | undefined {
  if (!r.question) return families.find((f) => f.match?.(r)) ?? families.find((f) => f.fallback?.(r));
  // A question: a family that looks, by its words; a change named by its verb ("how do I add
  // a replica?") is no question about facts, so no look family answers it by its nouns.
  const looks = families.filter((f) => f.effect === "look");
  const asked = looks.find((f) => f.match?.(r));
  if (asked) return asked;
  return families.some((f) => f.effect === "change" && f.match?.(r)) ? undefined : looks.find((f) => f.fallback?.(r));
}

const UNKNOWN = refuse(
  "unknown",
  "The built-in planner did not recognise this request.",
  'Try e.g. "create a 6-node cluster with 3 masters" or "check the cluster in lab demo", or set ANTHROPIC_API_KEY to use the Claude planner.',
);

/** A question no family that looks can answer: say that a question never changes anything. */
function questionRefusal(r: Reading, families: readonly AnyFamily[]): Refusal {
  const change = families.find((f) => f.effect === "change" && (f.match?.(r) || f.fallback?.(r)));
  if (!change) return UNKNOWN;
  return refuse(
    "question",
    `This reads as a question about ${lower(change.doing)}, and a question is answered by looking only, never by changing anything.`,
    `Say it as a request to act, e.g. "${change.example}", or ask about what runs, e.g. "how many replicas does lab demo have?".`,
  );
}

/** Two ways of naming where (a lab and addresses): one would be dropped, unless the family uses both. */
function placesLeft(r: Reading, family: AnyFamily): Refusal | undefined {
  const { lab, target, nodes } = r.where;
  const named = [lab && `lab ${lab}`, target && `target ${target}`, nodes && nodes.join(" ")].filter((x): x is string => !!x);
  if (named.length < 2 || family.honours?.includes("several_places")) return undefined;
  return refuse(
    "unhonoured",
    `The request names ${named.join(" and ")}, and ${lower(family.doing)} acts on one place, so one of them would be dropped.`,
    "Say one place: a lab, a config target, or node addresses.",
  );
}

/** A part the request names that the family neither placed nor honours by nature. */
function partLeft(r: Reading, family: AnyFamily): Refusal | undefined {
  const [left] = unhonouredParts(r, family.honours);
  if (!left) return undefined;
  return refuse(
    "unhonoured",
    `The request asks for ${left.part.what} ("${left.words}"), which the built-in planner cannot honour when ${lower(family.doing)}, and it does not drop parts of a request.`,
    left.part.next,
  );
}

/** A number the family did not place. */
function numberLeft(r: Reading, family: AnyFamily): Refusal | undefined {
  const [number] = r.unplacedNumbers();
  if (!number) return undefined;
  return refuse(
    "unhonoured",
    `The request says "${number}", and ${lower(family.doing)} has no place for that number, so the built-in planner will not guess or drop it.`,
    "Say what it counts (nodes, masters, replicas each, zones), or leave it out.",
  );
}

/** Reads the request with one family (the one matchFamily picked). */
export function extractWith(family: AnyFamily, r: Reading): ParseResult {
  const result = family.extract(r) as ParseResult;
  // A part the family cannot honour outranks its own refusal: the request asks for what it cannot do at all.
  const part = placesLeft(r, family) ?? partLeft(r, family);
  if (part) return part;
  if (result.family === "refusal") return result;
  return numberLeft(r, family) ?? result;
}

/** The intent of the family that takes the reading, or a refusal. */
export function parseReading(r: Reading): ParseResult {
  const family = matchFamily(r);
  if (!family) return r.question ? questionRefusal(r, FAMILIES) : UNKNOWN;
  return extractWith(family, r);
}

export function parseRequest(request: string, lab?: ExistingLab, tools?: readonly AnyTool[]): ParseResult {
  const r = readRequest(request, { lab, tools });
  return r instanceof Reading ? parseReading(r) : r;
}
