/**
 * A tool's zod input read as command-line fields: for each top-level field its kind,
 * default, description and choices, so flags are derived from the one schema and a
 * default is stated once. Pure: schema in, data out.
 */
import type { z } from "zod";

export type FieldKind = "string" | "integer" | "number" | "boolean" | "enum" | "strings" | "other";

export interface InputField {
  name: string;
  kind: FieldKind;
  description?: string;
  /** The zod default, when the field has one. */
  default?: unknown;
  /** True when the field may be left out (optional, or has a default). */
  optional: boolean;
  /** An enum's values. */
  choices?: string[];
}

/** What the unwrapping below reads of a zod 4 schema (public properties of its classes). */
interface Schema {
  def: { type: string; innerType?: Schema; defaultValue?: unknown; element?: Schema };
  description?: string;
  isInt?: boolean;
  options?: unknown[];
}

function kindOf(s: Schema): FieldKind {
  switch (s.def.type) {
    case "string":
      return "string";
    case "number":
      return s.isInt ? "integer" : "number";
    case "boolean":
      return "boolean";
    case "enum":
      return (s.options ?? []).every((o) => typeof o === "string") ? "enum" : "other";
    case "array":
      return s.def.element?.def.type === "string" ? "strings" : "other";
    default:
      return "other";
  }
}

/** One field: optional/default/nullable wrappers peeled, the outermost description and default kept. */
export function readField(name: string, schema: z.ZodType): InputField {
  let s = schema as unknown as Schema;
  let description: string | undefined;
  let optional = false;
  let dflt: { value: unknown } | undefined;
  for (;;) {
    description ??= s.description;
    if (s.def.type === "default") {
      dflt ??= { value: s.def.defaultValue };
      optional = true;
    } else if (s.def.type === "optional") {
      optional = true;
    } else if (s.def.type !== "nullable") {
      break;
    }
    s = s.def.innerType!;
  }
  return {
    name,
    kind: kindOf(s),
    optional,
    ...(description ? { description } : {}),
    ...(dflt ? { default: dflt.value } : {}),
    ...(s.def.type === "enum" ? { choices: (s.options ?? []).map(String) } : {}),
  };
}

export function inputFields(input: z.ZodObject): InputField[] {
  return Object.entries(input.shape).map(([name, schema]) => readField(name, schema as z.ZodType));
}

/** camelCase -> kebab-case: nodeTimeoutMs -> node-timeout-ms. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
