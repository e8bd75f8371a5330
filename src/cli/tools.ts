/** The tool verbs (`redis-pilot lab ...`, `redis-pilot cluster ...`, ...), generated from the one list. */
import type { Command } from "commander";
import { allTools } from "../../tools/index.js";
import { registerToolVerbs } from "./tool-verbs.js";

export { allTools };

export function register(program: Command): void {
  registerToolVerbs(program, allTools);
}
