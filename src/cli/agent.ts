/**
 * `redis-pilot agent "<request>"`: plan the request, run it tool call by tool call
 * through the registry, print each step with its time and the final verification.
 * stdout gets the human account (or, with --json, one JSON result); exit code 0 when
 * done and verified (or planned), 2 when refused, 128 + the signal's number when
 * SIGINT, SIGTERM or SIGHUP stopped it, 1 otherwise.
 */
import { writeFile } from "node:fs/promises";
import { InvalidArgumentError, Option, type Command } from "commander";
import { allTools } from "../../tools/index.js";
import { exitCodeFor, liveOutput, renderEnding } from "../agent/render.js";
import { runAgent, type AgentRun, type AgentRunOptions, type PlannerChoice } from "../agent/run.js";
import { redact, secretValues } from "../agent/transcript.js";
import { loadConfig } from "../targets/config.js";
import { runbookFromAgentRun } from "../runbook/from-agent.js";
import { askTty } from "./run-tool.js";
import { signalExitCode, untilStopped } from "./signals.js";
import { cliWords } from "./words.js";

/** The run as --json prints it: everything but secrets (the transcript's rules apply to args). */
export const runJson = (r: AgentRun): string => JSON.stringify(redact(r, secretValues(r)), null, 2) + "\n";

function toCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1.");
  return n;
}

interface AgentFlags {
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  planner: PlannerChoice;
  model?: string;
  keep?: boolean;
  maxSteps?: number;
  transcript?: string;
  verbose?: boolean;
  saveRunbook?: string;
}

export async function runAgentCli(request: string, flags: AgentFlags, configPath?: string): Promise<number> {
  const config = loadConfig(configPath);
  // SIGINT, SIGTERM and SIGHUP stop the run the same way: it ends "stopped" and removes the labs it started.
  const { value: code, stoppedBy } = await untilStopped(async (signal) => {
    const opts: AgentRunOptions = {
      request,
      planner: flags.planner,
      model: flags.model,
      yes: flags.yes,
      dryRun: flags.dryRun,
      keep: flags.keep,
      maxSteps: flags.maxSteps,
      transcriptPath: flags.transcript,
      config,
      confirm: flags.yes ? undefined : askTty,
      signal,
      words: cliWords(allTools),
      onEvent: flags.json ? undefined : liveOutput((t) => process.stdout.write(t), flags.verbose ? (t) => process.stderr.write(t) : undefined),
    };
    const run = await runAgent(opts);
    process.stdout.write(flags.json ? runJson(run) : renderEnding(run) + "\n");
    if (flags.saveRunbook) {
      await writeFile(flags.saveRunbook, runbookFromAgentRun(run, allTools));
      process.stderr.write(`Runbook: ${flags.saveRunbook} (review it, then: redis-pilot runbook run ${flags.saveRunbook})\n`);
    }
    return exitCodeFor(run.outcome);
  });
  return stoppedBy ? signalExitCode(stoppedBy) : code;
}

export function register(program: Command): void {
  program
    .command("agent")
    .description("Plan a request in plain words and carry it out tool call by tool call, verifying every step.")
    .argument("<request...>", 'what to do, e.g. "Create a 6-node Redis Cluster with 3 masters"')
    .option("--yes", "confirm destructive steps without asking")
    .option("--dry-run", "show the whole plan without changing anything")
    .option("--json", "print the run (steps, verification, outcome) as JSON")
    .addOption(new Option("--planner <name>", "planner: claude needs ANTHROPIC_API_KEY; auto picks claude when it is set").choices(["auto", "builtin", "claude"]).default("auto"))
    .option("--model <id>", "Claude model id (default: $REDIS_PILOT_MODEL)")
    .option("--keep", "keep labs this run started even if it fails (default: a failed run removes them)")
    .option("--max-steps <n>", "stop after this many tool calls (default 12)", toCount)
    .option("--transcript <file>", "write the JSONL transcript here (default: $REDIS_PILOT_HOME/transcripts/)")
    .option("--verbose", "print each tool's progress events on stderr")
    .option("--save-runbook <file>", "write what the agent did as a runbook that does it again (a dry run saves its plan)")
    .action(async (words: string[], flags: AgentFlags) => {
      process.exitCode = await runAgentCli(words.join(" "), flags, program.opts().config as string | undefined);
    });
}
