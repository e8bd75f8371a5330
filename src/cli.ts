#!/usr/bin/env node
/**
 * redis-pilot command line: one verb per front end. Each verb's module is imported
 * only when that verb runs, so `redis-pilot mcp` starts without loading the rest.
 */
import { Command } from "commander";
import { renderError } from "./errors.js";

const program = new Command()
  .name("redis-pilot")
  .description("Operate Redis replication, Sentinel and Cluster: MCP server, agent, runbooks, lab.")
  .version("0.1.0")
  .option("--config <file>", "targets config file (YAML or JSON); default $REDIS_PILOT_CONFIG");

type Register = (program: Command) => void;
const verbs: Record<string, () => Promise<{ register: Register }>> = {
  lab: () => import("./cli/lab.js"),
  cluster: () => import("./cli/cluster.js"),
  mcp: () => import("./cli/mcp.js"),
  agent: () => import("./cli/agent.js"),
  demo: () => import("./cli/demo.js"),
};

async function main(argv: string[]): Promise<void> {
  // The first word that is not an option (or the value of --config) names the verb.
  const args = argv.slice(2);
  const verb = args.find((a, i) => !a.startsWith("-") && args[i - 1] !== "--config");
  const load = verb && verbs[verb] ? [verbs[verb]] : Object.values(verbs);
  for (const l of load) (await l()).register(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((err) => {
  process.stderr.write(`error: ${renderError(err)}\n`);
  process.exitCode = 1;
});
