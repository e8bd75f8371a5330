/**
 * A tool is data plus a handler: name, description written for a model, zod input and
 * output, all four MCP annotation hints, and a thin handler that parses, calls src/,
 * and shapes the result. MCP, the agent loop and runbooks call the same objects through
 * src/registry/invoke.ts, so validation, confirmation and mutation policy are shared.
 */
import type { z } from "zod";
import type { ProgressSink } from "../ops/progress.js";
import type { TargetResolver } from "../targets/resolver.js";

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
}

/** Identity with inference, so each tool file reads as one typed literal. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: Tool<I, O>): Tool<I, O> {
  return tool;
}

export type AnyTool = Tool<z.ZodObject, z.ZodObject>;

export const isMutating = (t: AnyTool): boolean => !t.annotations.readOnlyHint;
