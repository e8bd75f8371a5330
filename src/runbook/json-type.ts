/**
 * Static types for validation, read from tools' JSON Schemas (made from their zod
 * input and output): what lies at `nodes[0].address` in cluster_create's output, and
 * which kinds of value an argument accepts. Pure: schema and path in, type out.
 */
import { z } from "zod";
import type { AnyTool } from "../registry/tool.js";
import type { PathSeg } from "./expr.js";

export type JsonSchema = { [k: string]: unknown };
export type Kind = "string" | "number" | "boolean" | "null" | "array" | "object";

/** A static type: a schema we know, or ANY when nothing can be said. */
export type StaticType = { schema: JsonSchema } | "any";
export const ANY: StaticType = "any";

const cache = new WeakMap<object, { input: JsonSchema; output: JsonSchema }>();

export function toolSchemas(tool: AnyTool): { input: JsonSchema; output: JsonSchema } {
  let s = cache.get(tool);
  if (!s) {
    s = {
      input: z.toJSONSchema(tool.input, { target: "draft-7", io: "input", unrepresentable: "any" }) as JsonSchema,
      output: z.toJSONSchema(tool.output, { target: "draft-7", io: "output", unrepresentable: "any" }) as JsonSchema,
    };
    cache.set(tool, s);
  }
  return s;
}

function alternatives(s: JsonSchema): JsonSchema[] {
  const alt = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  return alt ? alt.flatMap(alternatives) : [s];
}

/** The kinds of value a schema admits; undefined when it admits anything. */
export function kindsOf(s: JsonSchema): Set<Kind> | undefined {
  const out = new Set<Kind>();
  for (const a of alternatives(s)) {
    if (a.const !== undefined) out.add(kindOfValue(a.const));
    else if (Array.isArray(a.enum)) a.enum.forEach((v) => out.add(kindOfValue(v)));
    else if (a.type === undefined) return undefined;
    else for (const t of [a.type].flat() as string[]) out.add(t === "integer" ? "number" : (t as Kind));
  }
  return out;
}

export function kindOfValue(v: unknown): Kind {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "object" ? "object" : (typeof v as Kind);
}

export const kindsOfType = (t: StaticType): Set<Kind> | undefined => (t === "any" ? undefined : kindsOf(t.schema));

/** Field names an object schema declares (for "did you mean" and unknown-key checks). */
export function fieldsOf(s: JsonSchema): string[] {
  return alternatives(s).flatMap((a) => Object.keys((a.properties as object) ?? {}));
}

/** Whether an object schema is closed (declared properties only): every tool input object is. */
export function isClosedObject(s: JsonSchema): boolean {
  return alternatives(s).every((a) => a.type === "object" && a.properties !== undefined && (a.additionalProperties === undefined || a.additionalProperties === false));
}

export class PathError extends Error {}

/** What lies at path in schema; throws PathError naming the first segment that is not there. */
export function typeAt(schema: JsonSchema, path: readonly PathSeg[], shown = ""): StaticType {
  if (path.length === 0) return { schema };
  const [seg, ...rest] = path;
  const alts = alternatives(schema).filter((a) => a.type !== "null");
  if (alts.some((a) => a.type === undefined && a.anyOf === undefined)) return ANY;
  if ("key" in seg) {
    const next = alts.flatMap((a) => {
      const props = a.properties as Record<string, JsonSchema> | undefined;
      if (props?.[seg.key]) return [props[seg.key]];
      if (a.additionalProperties && typeof a.additionalProperties === "object") return [a.additionalProperties as JsonSchema];
      if (a.type === "object" && !props && a.additionalProperties === undefined) return [{}];
      return [];
    });
    if (next.length === 0) {
      const known = alts.flatMap((a) => Object.keys((a.properties as object) ?? {}));
      const where = shown ? `${shown} has` : "it has";
      throw new PathError(known.length ? `${where} no field '${seg.key}' (fields: ${known.join(", ")})` : `${where} no field '${seg.key}'`);
    }
    return typeAt(next.length === 1 ? next[0] : { anyOf: next }, rest, join(shown, seg.key));
  }
  const items = alts.filter((a) => a.type === "array").map((a) => (a.items as JsonSchema | undefined) ?? {});
  if ("wildcard" in seg) {
    const values = alts.flatMap((a) =>
      a.type === "array" ? [(a.items as JsonSchema) ?? {}] : a.additionalProperties && typeof a.additionalProperties === "object" ? [a.additionalProperties as JsonSchema] : [],
    );
    if (values.length === 0) throw new PathError(`${shown || "it"} is not a list, so .* does not apply`);
    const inner = typeAt(values.length === 1 ? values[0] : { anyOf: values }, rest, `${shown}.*`);
    return { schema: { type: "array", items: inner === "any" ? {} : inner.schema } };
  }
  if (items.length === 0) throw new PathError(`${shown || "it"} is not a list, so [${seg.index}] does not apply`);
  return typeAt(items.length === 1 ? items[0] : { anyOf: items }, rest, `${shown}[${seg.index}]`);
}

const join = (a: string, b: string) => (a ? `${a}.${b}` : b);

const KIND_WORDS: Record<Kind, string> = { string: "a string", number: "a number", boolean: "true or false", null: "null", array: "a list", object: "an object" };

export function describeKinds(kinds: Set<Kind>): string {
  return [...kinds].map((k) => KIND_WORDS[k]).join(" or ");
}

/** Whether a value of kinds `have` can go where `want` is accepted (undefined: anything). */
export function compatible(have: Set<Kind> | undefined, want: Set<Kind> | undefined): boolean {
  if (!have || !want) return true;
  return [...have].some((k) => k === "null" || want.has(k));
}
