/**
 * A request as families read it: where it acts (cut out first, so numbers inside
 * addresses and names are never counts), the normalized words, whether it is a
 * question, and a record of which words a family placed. Every number and every part
 * the request names must be placed by the family that takes it, or the request is
 * refused naming what was left: nothing meaningful is dropped silently.
 */
import type { AnyTool } from "../registry/tool.js";
import type { ExistingLab } from "./existing-lab.js";
import type { Where } from "./intent.js";
import { isQuestion } from "./questions.js";
import { NEGATED } from "./vocabulary.js";
import { normalizeRequest } from "./words.js";
import { secretsInText } from "../secrets.js";

/** Zones named like cloud regions: us-east-1, eu-west-2a, europe-west1. */
export const ZONE_NAME = /\b[a-z]{2,}(?:-[a-z]+)+-?\d+[a-z]?\b/g;
const NUMBER = /\b\d+(?:\.\d+)?\b/g;
/** What a password found in the request (src/secrets.ts, any phrasing) reads as in text: one word, the "password" part. */
export const SECRET_WORD = "xsecretx";

export interface ReadingInput {
  /** The request as typed. */
  raw: string;
  where: Where;
  /** The request, lowercased, with where cut out. */
  rest: string;
  /** Facts of the lab the request names, when the family reads them. */
  lab?: ExistingLab;
  /** The registry, when known: a family may honour a part only when a tool takes it. */
  tools?: readonly AnyTool[];
  /** Whether words name another family's action (built from every family's verbs). */
  isAction?: (text: string) => boolean;
}

export class Reading {
  readonly raw: string;
  readonly where: Where;
  /** Normalized (words.ts): digits, canonical nouns; region names replaced by "zone". */
  readonly text: string;
  /** text without negated words ("not sentinel", "without replicas"), for matching. */
  readonly bare: string;
  /** Region-like zone names the request gave (us-east-1, ...), in order. */
  readonly zoneNames: string[];
  readonly question: boolean;
  readonly lab?: ExistingLab;
  readonly tools?: readonly AnyTool[];
  private readonly actionTest: (text: string) => boolean;
  private readonly spans: [number, number][] = [];

  constructor(input: ReadingInput) {
    this.raw = input.raw;
    this.where = input.where;
    // A password's characters are not words of the request: no count, no zone, nothing a refusal could quote.
    const rest = [...secretsInText(input.raw)].reduce((t, s) => t.split(s.toLowerCase()).join(` ${SECRET_WORD} `), input.rest);
    this.zoneNames = [...new Set(rest.match(ZONE_NAME) ?? [])];
    this.text = normalizeRequest(rest.replace(ZONE_NAME, " zone "));
    this.bare = this.text.replace(NEGATED, " ");
    this.question = isQuestion(input.raw);
    this.lab = input.lab;
    this.tools = input.tools;
    this.actionTest = input.isAction ?? (() => false);
    // "one cluster" is what every family acts on, and "all 16384 slots" is every slot.
    this.place(/\b1 cluster\b|\b16384 slots?\b/);
  }

  /** Whether words (a slice of text) name some family's action. */
  isAction(text: string): boolean {
    return this.actionTest(text);
  }

  /** The first match of re in the text (its first group is the number), marked placed. */
  count(re: RegExp): number | undefined {
    const m = new RegExp(re.source, re.flags.replace("g", "")).exec(this.text);
    if (!m) return undefined;
    this.spans.push([m.index, m.index + m[0].length]);
    return Number(m[1]);
  }

  /** Marks every match of re as placed; true when there was one. */
  place(re: RegExp): boolean {
    let found = false;
    for (const m of this.text.matchAll(new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g"))) {
      this.spans.push([m.index, m.index + m[0].length]);
      found = true;
    }
    return found;
  }

  /** Whether the text from..to overlaps words a family placed. */
  isPlaced(from: number, to: number): boolean {
    return this.spans.some(([a, b]) => from < b && to > a);
  }

  /** Numbers no family placed, each with the words around it ("redis 7 cluster"). */
  unplacedNumbers(): string[] {
    const out: string[] = [];
    for (const m of this.text.matchAll(NUMBER)) {
      if (this.isPlaced(m.index, m.index + m[0].length)) continue;
      const before = this.text.slice(0, m.index).trim().split(" ").pop() ?? "";
      const after = this.text.slice(m.index + m[0].length).trim().split(" ")[0] ?? "";
      out.push([before, m[0], after].filter(Boolean).join(" "));
    }
    return out;
  }

  /** Whether the registry's tool takes an input field (false when the registry is not known). */
  toolTakes(tool: string, field: string): boolean {
    const t = this.tools?.find((x) => x.name === tool);
    return !!t && field in t.input.shape;
  }
}
