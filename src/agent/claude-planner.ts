/**
 * The Claude planner: a manual tool-use loop on @anthropic-ai/sdk (imported lazily, so
 * the built-in path never loads it). Tools come from the registry's zod schemas, the
 * system prompt from agent.md. Each loop outcome goes back as a tool_result (is_error
 * for failures, so the model can fix its arguments); stop reasons map to turns.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { PilotError } from "../errors.js";
import type { AnyTool } from "../registry/tool.js";
import type { CallOutcome, Planner, PlannerTurn } from "./planner.js";
import { modelToolDefinitions } from "./tool-defs.js";

export interface ClaudePlannerOptions {
  request: string;
  tools: AnyTool[];
  model: string;
  system: string;
  /** Output tokens per model turn (default 4096). */
  maxTokens?: number;
  /** Default: the SDK's own (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL). */
  apiKey?: string;
  baseURL?: string;
  maxRetries?: number;
  dryRun?: boolean;
}

/** Results can be long (a create's plan); the model needs the gist and the findings. */
const MAX_RESULT_CHARS = 20_000;

export class ModelError extends PilotError {
  constructor(message: string, next: string) {
    super("model_error", message, next);
  }
}

function toolResult(o: CallOutcome): Anthropic.ToolResultBlockParam {
  const r = o.result;
  const body = !r
    ? { notRun: o.skipped }
    : r.ok
      ? { summary: r.summary, output: r.output }
      : { error: r.error, ...(r.plan ? { plan: r.plan } : {}) };
  const text = JSON.stringify(body);
  return {
    type: "tool_result",
    tool_use_id: o.call.id,
    content: text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}... (truncated; summary: ${r?.summary ?? o.skipped})` : text,
    is_error: !r?.ok,
  };
}

const textOf = (content: Anthropic.ContentBlock[]): string =>
  content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("\n").trim();

export async function createClaudePlanner(opts: ClaudePlannerOptions): Promise<Planner> {
  const { default: AnthropicClient, APIError, APIConnectionError } = await import("@anthropic-ai/sdk");
  const client = new AnthropicClient({
    ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    ...(opts.maxRetries !== undefined ? { maxRetries: opts.maxRetries } : {}),
  });
  const tools = modelToolDefinitions(opts.tools) as Anthropic.Tool[];
  const maxTokens = opts.maxTokens ?? 4096;
  const dryRunNote = opts.dryRun
    ? "\n\n(This is a dry run: every mutating tool runs with dryRun: true and changes nothing. Plan the whole sequence; calls on a lab that is only planned are reported as not run.)"
    : "";
  const messages: Anthropic.MessageParam[] = [{ role: "user", content: opts.request + dryRunNote }];

  async function ask(): Promise<Anthropic.Message> {
    try {
      return await client.messages.create({ model: opts.model, max_tokens: maxTokens, system: opts.system, tools, messages });
    } catch (err) {
      if (err instanceof APIConnectionError) {
        throw new ModelError(`Cannot reach the Anthropic API at ${client.baseURL}: ${err.message}.`, "Check the network or ANTHROPIC_BASE_URL, or use --planner builtin.");
      }
      if (err instanceof APIError) {
        throw new ModelError(`The Anthropic API answered ${err.status ?? "an error"}: ${err.message}.`, "Check ANTHROPIC_API_KEY and REDIS_PILOT_MODEL, or use --planner builtin.");
      }
      throw err;
    }
  }

  return {
    name: "claude",
    model: opts.model,
    async next(outcomes): Promise<PlannerTurn> {
      if (outcomes.length) messages.push({ role: "user", content: outcomes.map(toolResult) });
      let reply = await ask();
      const turn: Anthropic.MessageParam = { role: "assistant", content: [...reply.content] };
      messages.push(turn);
      // pause_turn: the API paused a long turn. The thread goes back ending in that
      // assistant turn, and the reply continues it: one assistant message, not two.
      for (let i = 0; reply.stop_reason === "pause_turn" && i < 3; i++) {
        reply = await ask();
        (turn.content as Anthropic.ContentBlock[]).push(...reply.content);
      }
      const content = turn.content as Anthropic.ContentBlock[];
      const text = textOf(content);
      switch (reply.stop_reason) {
        case "tool_use": {
          const calls = content.flatMap((b) => (b.type === "tool_use" ? [{ id: b.id, tool: b.name, args: (b.input ?? {}) as Record<string, unknown> }] : []));
          return calls.length ? { kind: "calls", calls, text } : { kind: "done", text };
        }
        case "end_turn":
        case "stop_sequence":
          return { kind: "done", text };
        case "max_tokens":
          return {
            kind: "stop",
            reason: "max_tokens",
            text: `${text ? `${text}\n` : ""}The model hit its output limit (max_tokens ${maxTokens}) before finishing its turn, so the loop stopped. Raise REDIS_PILOT_MAX_TOKENS or ask for less at once.`,
          };
        case "refusal":
          return { kind: "stop", reason: "model_refusal", text: text || "The model declined this request." };
        default:
          return { kind: "stop", reason: String(reply.stop_reason), text: `${text ? `${text}\n` : ""}The model stopped (${reply.stop_reason}) before finishing.` };
      }
    },
  };
}
