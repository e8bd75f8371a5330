/**
 * The one way any front end (MCP, agent, runbooks, CLI) runs a tool: validate the
 * input, apply the confirmation policy to destructive tools, run the handler, and
 * validate the output. Errors a user can act on come back as values, bugs as
 * internal errors. Nothing here knows which front end called: the caller passes its
 * words (src/registry/words.ts), in which every message, summary and output is returned.
 */
import type { z } from "zod";
import { ConfirmationRequiredError, PilotError, REPORT_BUG, ValidationError, clipMessage, internalMessage } from "../errors.js";
import { log } from "../log.js";
import { redactDeep, redactText } from "../secrets.js";
import type { AnyTool, ToolContext } from "../registry/tool.js";
import { describeIssues } from "./input-issue.js";
import { againRef, argRef, mcpWords, speak, speakAll, toolRef, type Words } from "./words.js";
import type { TargetResolver } from "../targets/resolver.js";
import { isMutating } from "./tool.js";
import { fileFieldKind, underDir } from "./files.js";

/** Every resolve() a mutating tool makes is a mutating one, dry runs included: a dry run refuses what the real run would. */
export function mutatingResolver(inner: TargetResolver): TargetResolver {
  return { resolve: (ref) => inner.resolve(ref, { mutate: true }) };
}

export interface InvokeOptions {
  ctx: ToolContext;
  /**
   * Ask the user to confirm a destructive call, showing the dry-run summary.
   * Undefined when the front end cannot ask: then confirm: true is required.
   */
  confirm?: (question: string, plan: unknown) => Promise<boolean>;
  /** How this front end names tools and arguments in messages. @default mcpWords (MCP, agent, runbooks) */
  words?: Words;
}

export interface InvokeError {
  code: string;
  message: string;
  next: string;
  /** The PilotError's details, e.g. the findings of a verification_failed. */
  details?: unknown;
}

export type InvokeResult =
  | { ok: true; output: Record<string, unknown>; summary: string; durationMs: number }
  | { ok: false; error: InvokeError; summary: string; durationMs: number; plan?: Record<string, unknown> };

/** "nodes[1]" -> the reference to argument nodes, then "[1]"; "(arguments)" stays as it is. */
function fieldRef(tool: AnyTool, path: string): string {
  const top = /^[A-Za-z_]\w*/.exec(path)?.[0];
  return top ? `${argRef(top, undefined, tool.name)}${path.slice(top.length)}` : path;
}

function inputError(tool: AnyTool, err: z.ZodError, input: unknown): ValidationError {
  const { field, sentence } = describeIssues(err.issues, input);
  const said = fieldRef(tool, field) + sentence.slice(field.length);
  return new ValidationError(`Invalid argument for ${toolRef(tool.name)}: ${said}.`, `Fix ${fieldRef(tool, field)} and ${againRef(tool.name)}.`);
}

/** A tool broke its own output schema (a bug): one line for the user; zod's issues go to the log where thrown. */
class OutputSchemaError extends Error {}

function outputError(tool: AnyTool, err: z.ZodError, output: unknown): OutputSchemaError {
  log.error({ issues: err.issues }, `${tool.name}: output does not match its schema`);
  return new OutputSchemaError(`${tool.name} returned output that breaks its own schema: ${describeIssues(err.issues, output).sentence}`);
}

function failure(err: unknown, started: number, words: Words, plan?: Record<string, unknown>): InvokeResult {
  const error: InvokeError =
    err instanceof PilotError
      ? { code: err.code, message: err.message, next: err.next, ...(err.details !== undefined ? { details: err.details } : {}) }
      : { code: "internal", message: internalMessage(err), next: REPORT_BUG };
  if (!(err instanceof PilotError) && !(err instanceof OutputSchemaError)) log.error({ err }, "tool handler failed");
  // What a server or a bug put into an error may hold a secret: every front end gets it redacted.
  const spoken = speakAll(error, words);
  const safe = redactDeep({ ...spoken, message: clipMessage(spoken.message), next: clipMessage(spoken.next) });
  return { ok: false, error: safe, summary: `${safe.message} ${safe.next}`, durationMs: Date.now() - started, ...(plan ? { plan: redactDeep(speakAll(plan, words)) } : {}) };
}

export async function invokeTool(tool: AnyTool, rawArgs: unknown, opts: InvokeOptions): Promise<InvokeResult> {
  const started = Date.now();
  const words = opts.words ?? mcpWords;
  const parsed = tool.input.safeParse(rawArgs ?? {});
  if (!parsed.success) return failure(inputError(tool, parsed.error, rawArgs ?? {}), started, words);
  const args = parsed.data as Record<string, unknown>;
  // Files an argument names are written where this caller may write, or the call is refused before anything runs.
  const files = opts.ctx.files ?? underDir();
  try {
    for (const [field, schema] of Object.entries(tool.input.shape)) {
      const kind = fileFieldKind(schema);
      if (kind && typeof args[field] === "string") args[field] = kind === "write" ? await files.writable(args[field] as string, field) : await files.readable(args[field] as string, field);
    }
  } catch (err) {
    return failure(err, started, words);
  }
  // A tool that can change servers resolves every node as a mutating call, also in a dry
  // run and whatever its handler asks: the policy holds for every tool, written or to come.
  if (isMutating(tool)) opts = { ...opts, ctx: { ...opts.ctx, targets: mutatingResolver(opts.ctx.targets) } };
  // Progress words can quote a server's reply: redacted before any front end shows them.
  const progress = opts.ctx.progress;
  opts = { ...opts, ctx: { ...opts.ctx, progress: (e) => progress({ ...e, message: redactText(e.message) }) } };
  try {
    if (tool.annotations.destructiveHint && !args.dryRun && args.confirm !== true) {
      const plan = (await tool.handler({ ...args, dryRun: true }, opts.ctx)) as Record<string, unknown>;
      const approved = opts.confirm ? await opts.confirm(`${tool.title}: ${speak(tool.summarize(plan), words)} Proceed?`, speakAll(plan, words)) : false;
      if (!approved) return failure(new ConfirmationRequiredError(tool.name), started, words, plan);
    }
    const output = (await tool.handler(args, opts.ctx)) as Record<string, unknown>;
    // Validate what we hand back: a tool that breaks its own schema is a bug, caught here.
    const valid = tool.output.safeParse(output);
    if (!valid.success) throw outputError(tool, valid.error, output);
    const checked = redactDeep(speakAll(valid.data as Record<string, unknown>, words));
    return { ok: true, output: checked, summary: redactText(speak(tool.summarize(valid.data as Record<string, unknown>), words)), durationMs: Date.now() - started };
  } catch (err) {
    return failure(err, started, words);
  }
}
