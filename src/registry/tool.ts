/**
 * A tool is data plus a handler: name, description written for a model, zod input and
 * output, all four MCP annotation hints, and a thin handler that parses, calls src/,
 * and shapes the result. MCP, the agent loop and runbooks call the same objects through
 * src/registry/invoke.ts, so validation, confirmation and mutation policy are shared.
 */
import type { z } from "zod";
import type { ProgressSink } from "../ops/progress.js";
import type { TargetResolver } from "../targets/resolver.js";
import type { FilePolicy } from "./files.js";

export type Toolset = "lab" | "cluster" | "replication" | "sentinel" | "drills" | "runbook";

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolContext {
  progress: ProgressSink;
  signal: AbortSignal;
  /** Resolves lab / target / node references and enforces the mutation policy. */
  targets: TargetResolver;
  /**
   * Where files named by arguments (outputFileField) may be written: `anywhere` for the
   * CLI operator; absent means under <REDIS_PILOT_HOME>/files (MCP, the agent). invokeTool applies it.
   */
  files?: FilePolicy;
}

/**
 * How a tool reads as a command-line verb. The verb itself comes from the name
 * (`cluster_add_node` -> `redis-pilot cluster add-node`); every flag is derived from the
 * zod input (type, default, description, enum), so a default is stated once. Shared
 * flags (--json, --dry-run, --yes, --lab, --target, redis-cli's credential flags) are
 * added by the CLI front end (src/cli/tool-verbs.ts), not declared here. Every part is
 * optional: a tool without `cli` still gets its verb, with HOST:PORT arguments when it
 * takes nodes.
 */
export interface ToolCli<I = Record<string, unknown>, O = Record<string, unknown>> {
  /** Input fields taken as positional arguments, in order; an array field takes the rest. Default: ["nodes"] when the input has nodes. */
  args?: Array<keyof I & string>;
  /** Flag names where the field's kebab-case name is not what operators type, e.g. redis-cli's: { replicasPerMaster: "replicas", timeoutMs: "timeout" }. */
  flags?: { [K in keyof I & string]?: string };
  /** Secret fields read from an environment variable that this flag names (a value on argv shows in ps): { password: "password-env" }. */
  env?: { [K in keyof I & string]?: string };
  /** With --lab or --target, a lone HOST:PORT-or-id argument fills this field instead of naming the servers (`del-node --lab demo ID`). */
  withPlace?: keyof I & string;
  /** Input fields the CLI does not offer at all. */
  hide?: Array<keyof I & string>;
  /** Other spellings of the verb's last word, e.g. ["ls"] for `lab list`. */
  aliases?: string[];
  /** Exit code for a successful output (default 0), e.g. a check with errors -> 1. */
  exitCode?(output: O): number;
  /** Terminal rendering of a successful output (default: summarize). */
  render?(output: O): string;
}

export interface Tool<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  /** snake_case noun_verb: the toolset's noun, then a verb, e.g. "cluster_create", "lab_up" (docs/mcp.md, "Naming"). */
  name: string;
  title: string;
  /** For a model: when to use it, what it changes, what it returns. */
  description: string;
  toolset: Toolset;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** A short human summary of a result (MCP text content, CLI output, transcripts). */
  summarize(output: z.infer<O>): string;
  handler(input: z.infer<I>, ctx: ToolContext): Promise<z.infer<O>>;
  /** Its command-line form (positional arguments, flag names, exit code, rendering). */
  cli?: ToolCli<z.input<I>, z.infer<O>>;
  /**
   * The call can take long (it moves data, drains a node, runs a drill): MCP lists it with
   * taskSupport "optional", so a client may run it as a task (start, poll, cancel).
   */
  runsLong?: boolean;
  /**
   * What the tool does to a lab, so front ends track the labs a run started without
   * knowing tool names: "starts" a lab or "removes" one (and proves it gone before it
   * returns), named by the output's `name`.
   */
  labEffect?: "starts" | "removes";
}

/** Identity with inference, so each tool file reads as one typed literal. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: Tool<I, O>): Tool<I, O> {
  return tool;
}

export type AnyTool = Tool<z.ZodObject, z.ZodObject>;

export const isMutating = (t: AnyTool): boolean => !t.annotations.readOnlyHint;
