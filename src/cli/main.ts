/**
 * redis-pilot command line: the front-end verbs (mcp, agent, demo), each in its own
 * module, and the tool verbs generated from the registry (tools.ts). A module is imported
 * only when its verb runs, so `redis-pilot mcp` starts without loading the tools.
 * Its entry is src/cli.ts, which the bundle that bin/redis-pilot.cjs runs starts from.
 */
import { Command } from "commander";
import { renderError } from "../errors.js";
import { cliWords } from "./words.js";

type Register = (program: Command) => void;
type Load = () => Promise<{ register: Register }>;
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
 * Registers what argv names, then runs argv: a front-end verb's module, or the tool verbs
 * for any other word; everything when argv names no verb (e.g. --help).
 */
export async function runCli(argv: string[], verbs: Verbs, tools: Load): Promise<void> {
  const program = newProgram();
  await runProgram(program, argv, async () => {
    // The first word that is not an option (or the value of --config) names the verb.
    const args = argv.slice(2);
    const verb = args.find((a, i) => !a.startsWith("-") && args[i - 1] !== "--config");
    const load = verb === undefined ? [...Object.values(verbs), tools] : verbs[verb] ? [verbs[verb]] : [tools];
    for (const l of load) (await l()).register(program);
  });
}
