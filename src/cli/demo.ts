/** `redis-pilot demo` (what `npm start` runs): the agent creates, verifies, checks and removes a lab cluster. */
import type { Command } from "commander";
import { runDemo } from "../agent/demo.js";

export function register(program: Command): void {
  program
    .command("demo")
    .description('Run the agent on "Create a 6-node Redis Cluster with 3 masters" in a local lab, show the check, then remove the lab.')
    .option("--keep", "leave the demo lab running at the end")
    .action(async (flags: { keep?: boolean }) => {
      process.exitCode = await runDemo({ write: (t) => process.stdout.write(t), keep: flags.keep });
    });
}
