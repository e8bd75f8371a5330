/**
 * Runs one registry tool for a CLI verb: operator mode (the user typed the addresses),
 * --dry-run, --yes / TTY prompt for destructive tools, --json for structured output,
 * progress lines on stderr, messages in the CLI's words, SIGINT/SIGTERM/SIGHUP as a
 * cancel (signals.ts), exit code non-zero on failure, failed checks or a signal.
 */
import { createInterface } from "node:readline/promises";
import { invokeTool, type InvokeResult } from "../registry/invoke.js";
import { hasReferences, laterWords, speak, speakAll, type Words } from "../registry/words.js";
import type { AnyTool } from "../registry/tool.js";
import { createResolver } from "../targets/resolver.js";
import { anywhere } from "../registry/files.js";
import { loadConfig } from "../targets/config.js";
import type { ProgressEvent } from "../ops/progress.js";
import type { Finding } from "../checks/finding.js";
import type { ConnectionOptions } from "../redis/connection.js";
import { signalExitCode, untilStopped } from "./signals.js";
import { cliWords } from "./words.js";

export interface CliRunOptions {
  json?: boolean;
  yes?: boolean;
  config?: string;
  /** Decides the exit code from a successful output (e.g. a check with errors -> 1). */
  exitCode?: (output: Record<string, unknown>) => number;
  /** Custom human rendering of a successful output (default: the tool's summary). */
  render?: (output: Record<string, unknown>) => string;
  quiet?: boolean;
  /** Credentials for bare HOST:PORT nodes (-a / REDISCLI_AUTH, --user, --tls); never printed. */
  connection?: ConnectionOptions;
  /** The registry's tools, so messages name other tools' verbs and flags as typed; or how to load them (after the run). */
  tools?: readonly AnyTool[] | (() => Promise<readonly AnyTool[]>);
}

function progressLine(e: ProgressEvent): string {
  const t = e.elapsedMs !== undefined ? `${(e.elapsedMs / 1000).toFixed(3)}s `.padStart(9) : "";
  return `${t}${e.step.padEnd(10)} ${e.message}`;
}

/** Findings carried by an error (e.g. verification_failed), to show every one, not just the first. */
function findingsOf(details: unknown): Finding[] {
  return Array.isArray(details) ? details.filter((f): f is Finding => typeof f?.code === "string" && typeof f?.message === "string") : [];
}

export async function askTty(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Prints a refused or declined confirmation: the plan, and that nothing was changed. */
async function notConfirmed(tool: AnyTool, result: Extract<InvokeResult, { ok: false }>, opts: CliRunOptions, asked: boolean, say: (text: string) => Promise<string>): Promise<void> {
  if (!asked && result.plan && !opts.json) {
    const plan = tool.output.safeParse(result.plan).success ? await say((opts.render ?? tool.summarize)(result.plan)) : JSON.stringify(result.plan, null, 2);
    process.stdout.write(`${plan}\n`);
  }
  process.stderr.write(asked ? "Not confirmed: nothing was changed.\n" : `Nothing was changed: ${result.summary}\n`);
}

export async function runToolCli(tool: AnyTool, args: Record<string, unknown>, opts: CliRunOptions = {}): Promise<number> {
  // With only this verb's tool loaded, the run keeps its references to other tools and the
  // CLI speaks them once it has loaded the list: after the run, not before its first command.
  const given = opts.tools;
  let loaded: Words | undefined = typeof given === "function" ? undefined : cliWords(given);
  const cli = async (): Promise<Words> => (loaded ??= cliWords(await (given as () => Promise<readonly AnyTool[]>)()));
  // The list loads only when a message names a tool or an argument.
  const say = async (text: string) => (hasReferences(text) ? speak(text, await cli()) : text);
  let asked = false;
  const ask = async (question: string) => {
    asked = process.stdin.isTTY === true;
    return askTty(await say(question));
  };
  const { value: spoken, stoppedBy } = await untilStopped((signal) =>
    invokeTool(tool, opts.yes ? { ...args, confirm: true } : args, {
      ctx: {
        progress: (e) => {
          if (!opts.json && !opts.quiet) process.stderr.write(progressLine(e) + "\n");
        },
        signal,
        targets: createResolver({ config: loadConfig(opts.config), allowAdhocMutations: true, adhocConnection: opts.connection }),
        // The operator typed the paths: written where they said, as redis-cli --rdb does.
        files: anywhere,
      },
      confirm: opts.yes ? undefined : ask,
      words: loaded ?? laterWords,
    }),
  );
  const result = hasReferences(spoken) ? speakAll(spoken, await cli()) : spoken;
  if (!result.ok) {
    if (opts.json) process.stdout.write(JSON.stringify({ error: result.error, plan: result.plan }, null, 2) + "\n");
    if (result.error.code === "confirmation_required") await notConfirmed(tool, result, opts, asked, say);
    else process.stderr.write(`error: ${result.summary}\n`);
    for (const f of findingsOf(result.error.details)) process.stderr.write(`  ${f.severity.padEnd(7)} ${f.code}  ${f.message}\n`);
    return stoppedBy ? signalExitCode(stoppedBy) : 1;
  }
  if (opts.json) process.stdout.write(JSON.stringify(result.output, null, 2) + "\n");
  else process.stdout.write((opts.render ? await say(opts.render(result.output)) : result.summary) + "\n");
  if (stoppedBy) return signalExitCode(stoppedBy);
  return opts.exitCode ? opts.exitCode(result.output) : 0;
}
