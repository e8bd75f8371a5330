/**
 * redis-pilot command line: the front-end verbs (mcp, agent, demo), each in its own
 * module, and the tool verbs generated from the registry (tools.ts). A module is imported
 * only when its verb runs, so `redis-pilot mcp` starts without loading the tools.
 * Its entry is src/cli.ts, which the bundle that bin/redis-pilot.cjs runs starts from.
 */
import { Command } from "commander";
import { renderError } from "../errors.js";
import type { AnyTool } from "../registry/tool.js";
import { cliWords } from "./words.js";

type Register = (program: Command) => void;
type Load = () => Promise<{ register: Register }>;
/** The tool verbs: their registration, and the list (for words that name other tools). */
type LoadTools = () => Promise<{ register: Register; allTools: readonly AnyTool[] }>;
/** The module of one tool file, tools/NOUN/NOUN-VERB.ts. */
type LoadToolFile = (noun: string, verb: string) => Promise<Record<string, unknown>>;
/** Front-end verb name -> its module, imported when that verb runs. Each entry passes the verbs it serves. */
export type Verbs = Record<string, Load>;

/** The top-level command, with no verb registered yet. */
export function newProgram(): Command {
  return new Command()
    .name("redis-pilot")
    .description("Operate Redis replication, Sentinel and Cluster: MCP server, agent, runbooks, lab.")
    .version("0.1.0")
    .option("--config <file>", "targets config file (YAML or JSON); default $REDIS_PILOT_CONFIG");
}

/** Parses argv (node, script, ...args) and runs it; errors become one line on stderr and exit code 1. */
export async function runProgram(program: Command, argv: string[], register: () => Promise<void> = async () => {}): Promise<void> {
  try {
    await register();
    await program.parseAsync(argv);
  } catch (err) {
    process.stderr.write(`error: ${renderError(err, cliWords())}\n`);
    process.exitCode = 1;
  }
}

/**
 * Registers what argv names, then runs argv: a front-end verb's module; a tool verb's own
 * tool file alone when argv names one (`cluster create`: start-up builds one tool's
 * schemas, not all of them; the list loads after the run, for its messages); the tool
 * verbs for any other word; everything when argv names no verb (e.g. --help).
 */
export async function runCli(argv: string[], verbs: Verbs, tools: LoadTools, toolFile?: LoadToolFile): Promise<void> {
  const program = newProgram();
  await runProgram(program, argv, async () => {
    // The first word that is not an option (or the value of --config) names the verb.
    const args = argv.slice(2);
    const words = args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "--config");
    const [verb, sub] = words;
    if (verb !== undefined && !verbs[verb] && toolFile) {
      const one = await oneTool(toolFile, verb, sub);
      if (one) {
        const { registerToolVerbs } = await import("./tool-verbs.js");
        return registerToolVerbs(program, [one], async () => (await tools()).allTools);
      }
    }
    // --version alone needs no verb at all; --help (or nothing) lists them all.
    if (verb === undefined && args.length === 1 && (args[0] === "--version" || args[0] === "-V")) return;
    const load = verb === undefined ? [...Object.values(verbs), tools] : verbs[verb] ? [verbs[verb]] : [tools];
    for (const l of load) (await l()).register(program);
  });
}

/** The tool `NOUN_VERB` from its own file, or undefined (no such file: an alias, a typo, a noun's --help). */
async function oneTool(toolFile: LoadToolFile, noun: string, verb: string | undefined): Promise<AnyTool | undefined> {
  if (verb === undefined || !/^[a-z]+$/.test(noun) || !/^[a-z]+(?:-[a-z]+)*$/.test(verb)) return undefined;
  const name = `${noun}_${verb.replace(/-/g, "_")}`;
  // The bundle's import of a file it does not hold throws at once, Node's rejects: either way, no such tool file.
  const mod = await Promise.resolve()
    .then(() => toolFile(noun, verb))
    .catch(() => undefined);
  return Object.values(mod ?? {}).find((t): t is AnyTool => (t as AnyTool | undefined)?.name === name && typeof (t as AnyTool).handler === "function");
}
