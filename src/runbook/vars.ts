/**
 * Runbook variables: declared defaults, overridden with `--var NAME=VALUE`. An override
 * is text from a command line; it takes the declared type (the default's, or `type:`),
 * so `--var masters=4` is the number 4 and `--var masters=four` is an error. Pure.
 */
import type { VarFile } from "./schema.js";
import { argRef } from "../registry/words.js";

/** An override as its front end spells it: `--var NAME=VALUE` on the command line, `vars` of runbook_run over MCP. */
const override = (text: string) => argRef("vars", text, "runbook_run");

export type VarValue = string | number | boolean;

export interface VarProblem {
  /** The var's name, or undefined for a malformed --var. */
  name?: string;
  message: string;
  /** Whether the problem is in the file (at vars.NAME) rather than on the command line. */
  inFile: boolean;
}

/** `k=v` strings from the command line into a record; later ones win. */
export function parseVarArgs(args: readonly string[]): { vars: Record<string, string>; problems: VarProblem[] } {
  const vars: Record<string, string> = {};
  const problems: VarProblem[] = [];
  for (const a of args) {
    const eq = a.indexOf("=");
    if (eq <= 0) problems.push({ message: `--var ${a} is not NAME=VALUE`, inFile: false });
    else vars[a.slice(0, eq).trim()] = a.slice(eq + 1);
  }
  return { vars, problems };
}

function declaredType(decl: VarFile): "string" | "number" | "boolean" {
  if (typeof decl !== "object") return typeof decl as "string" | "number" | "boolean";
  if (decl.type) return decl.type;
  return decl.default === undefined ? "string" : (typeof decl.default as "string" | "number" | "boolean");
}

function coerce(text: string | VarValue, type: "string" | "number" | "boolean"): VarValue | undefined {
  if (typeof text !== "string") return typeof text === type ? text : type === "string" ? String(text) : undefined;
  if (type === "string") return text;
  if (type === "number") return text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : undefined;
  return text === "true" ? true : text === "false" ? false : undefined;
}

/** Each declared var's value: the override, else the default; problems for the rest. */
export function resolveVars(
  declared: Record<string, VarFile>,
  overrides: Record<string, string | VarValue>,
): { vars: Record<string, VarValue>; problems: VarProblem[] } {
  const vars: Record<string, VarValue> = {};
  const problems: VarProblem[] = [];
  for (const name of Object.keys(overrides)) {
    if (!Object.hasOwn(declared, name)) {
      const known = Object.keys(declared);
      problems.push({ message: `${override(name)}: the runbook declares no var '${name}'${known.length ? ` (vars: ${known.join(", ")})` : ""}`, inFile: false });
    }
  }
  for (const [name, decl] of Object.entries(declared)) {
    const type = declaredType(decl);
    const def = typeof decl === "object" ? decl.default : decl;
    if (def !== undefined && typeof def !== type) {
      problems.push({ name, message: `vars.${name} is declared as a ${type} but its default is a ${typeof def}`, inFile: true });
      continue;
    }
    if (Object.hasOwn(overrides, name)) {
      const v = coerce(overrides[name], type);
      if (v === undefined) problems.push({ name, message: `${override(`${name}=${String(overrides[name])}`)}: vars.${name} is a ${type}`, inFile: false });
      else vars[name] = v;
    } else if (def !== undefined) vars[name] = def;
    else problems.push({ name, message: `vars.${name} has no default; pass ${override(`${name}=VALUE`)}`, inFile: false });
  }
  return { vars, problems };
}
