/**
 * One agent run, wired: picks the planner (Claude when an API key is set, else the
 * built-in one), runs the loop against the registry in lab-only mutation mode, writes
 * the transcript, and removes the labs a failed run started unless told to keep them.
 * A run that simply ended (done, even if its last change was not verified) keeps them:
 * "start a 6-node lab" is such a run, and removing its lab would undo the request.
 */
import { randomBytes } from "node:crypto";
import { PilotError } from "../errors.js";
import { invokeTool } from "../registry/invoke.js";
import { loadConfig, type PilotConfig } from "../targets/config.js";
import { createResolver } from "../targets/resolver.js";
import { allTools } from "../../tools/index.js";
import type { AnyTool, ToolContext } from "../registry/tool.js";
import type { Words } from "../registry/words.js";
import { loadAgentDefinition } from "./agent-md.js";
import { createBuiltinPlanner } from "./builtin-planner.js";
import { runLoop, type LoopEvent, type LoopResult, type RunOutcome } from "./loop.js";
import type { Planner } from "./planner.js";
import { defaultTranscriptPath, Transcript } from "./transcript.js";

export type PlannerChoice = "auto" | "builtin" | "claude";

export interface AgentRunOptions {
  request: string;
  planner?: PlannerChoice;
  /** Claude model id; default REDIS_PILOT_MODEL. */
  model?: string;
  yes?: boolean;
  dryRun?: boolean;
  /** Keep labs this run started even when it fails. */
  keep?: boolean;
  maxSteps?: number;
  config?: PilotConfig;
  /** Default: <REDIS_PILOT_HOME>/transcripts/<time>-<id>.jsonl. */
  transcriptPath?: string;
  /** Interactive confirmation (a TTY prompt); undefined refuses destructive calls without --yes. */
  confirm?: (question: string, plan: unknown) => Promise<boolean>;
  onEvent?: (e: LoopEvent) => void;
  signal?: AbortSignal;
  /** Claude client settings (tests point baseURL at a local server). */
  anthropic?: { apiKey?: string; baseURL?: string; maxRetries?: number };
  /** How the run's last words name tools (the CLI passes its own). @default mcpWords */
  words?: Words;
  /** Lab name when the request names none (tests pin it). */
  newLabName?: () => string;
}

export interface CleanupRecord {
  lab: string;
  ok: boolean;
  summary: string;
  durationMs: number;
}

export interface AgentRun extends LoopResult {
  transcriptPath: string;
  cleanup: CleanupRecord[];
}

export class ModelNotSetError extends PilotError {
  constructor() {
    super(
      "model_not_set",
      "The Claude planner needs a model id, and none of --model, REDIS_PILOT_MODEL or agent.model in the config is set.",
      "Set REDIS_PILOT_MODEL to a current Claude model id (https://docs.anthropic.com/en/docs/about-claude/models), or use --planner builtin.",
    );
  }
}

/** The registry tools agent.md grants, in registry order. */
function agentTools(granted: string[]): AnyTool[] {
  const names = new Set(granted);
  return allTools.filter((t) => names.has(t.name));
}

async function choosePlanner(opts: AgentRunOptions): Promise<{ planner: Planner; tools: AnyTool[] }> {
  const useClaude = opts.planner === "claude" || (opts.planner !== "builtin" && !!(opts.anthropic?.apiKey ?? process.env.ANTHROPIC_API_KEY));
  if (!useClaude) return { planner: createBuiltinPlanner(opts.request, { tools: allTools, newLabName: opts.newLabName, dryRun: opts.dryRun }), tools: [...allTools] };
  if (!(opts.anthropic?.apiKey ?? process.env.ANTHROPIC_API_KEY ?? process.env.ANTHROPIC_AUTH_TOKEN)) {
    throw new PilotError("api_key_not_set", "The Claude planner needs ANTHROPIC_API_KEY, and it is not set.", "Export ANTHROPIC_API_KEY, or use --planner builtin (no network needed).");
  }
  const model = opts.model ?? process.env.REDIS_PILOT_MODEL ?? opts.config?.agent?.model;
  if (!model) throw new ModelNotSetError();
  const agent = loadAgentDefinition();
  const tools = agentTools(agent.tools);
  const { createClaudePlanner } = await import("./claude-planner.js");
  const maxTokens = Number(process.env.REDIS_PILOT_MAX_TOKENS) || undefined;
  const planner = await createClaudePlanner({ request: opts.request, tools, model, system: agent.prompt, maxTokens, dryRun: opts.dryRun, ...opts.anthropic });
  return { planner, tools };
}

/** Whether a run that ended so removes the labs it started: only a real failure does. */
export const FAILED_RUN: Record<RunOutcome, boolean> = {
  verified: false,
  planned: false,
  done: false,
  unverified: false,
  verification_failed: true,
  failed: true,
  refused: true,
  budget_exhausted: true,
  // The planner could not go on: the model stopped (max_tokens, refusal) or the user cancelled.
  stopped: true,
};

/** A tool context for the run's own lab calls (cleanup, the demo's check): no progress, lab-only. */
export const quietContext = (): ToolContext => ({ progress: () => {}, signal: new AbortController().signal, targets: createResolver({}) });

/** Stops the labs a failed run started, confirmed because this run made them. */
async function removeLabs(labs: string[], transcript: Transcript): Promise<CleanupRecord[]> {
  const labDown = allTools.find((t) => t.labEffect === "removes");
  if (!labDown) return [];
  const records: CleanupRecord[] = [];
  for (const lab of labs) {
    const r = await invokeTool(labDown, { name: lab, confirm: true }, { ctx: quietContext() });
    const record = { lab, ok: r.ok, summary: r.summary, durationMs: r.durationMs };
    records.push(record);
    await transcript.write("cleanup", { ...record });
  }
  return records;
}

export async function runAgent(opts: AgentRunOptions): Promise<AgentRun> {
  const transcriptPath = opts.transcriptPath ?? defaultTranscriptPath(randomBytes(4).toString("hex"));
  const transcript = new Transcript(transcriptPath);
  const config = opts.config ?? loadConfig();
  const { planner, tools } = await choosePlanner({ ...opts, config });
  const result = await runLoop({
    request: opts.request,
    planner,
    tools,
    transcript,
    // The agent changes only labs, and targets whose config allows it; never bare addresses.
    targets: createResolver({ config, allowAdhocMutations: false }),
    dryRun: opts.dryRun,
    yes: opts.yes,
    confirm: opts.confirm,
    maxSteps: opts.maxSteps,
    signal: opts.signal,
    onEvent: opts.onEvent,
    words: opts.words,
  });
  const cleanup = FAILED_RUN[result.outcome] && !opts.keep ? await removeLabs(result.labsStarted, transcript) : [];
  const removed = new Set(cleanup.filter((c) => c.ok).map((c) => c.lab));
  return { ...result, labsStarted: result.labsStarted.filter((l) => !removed.has(l)), transcriptPath, cleanup };
}
