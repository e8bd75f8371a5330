/**
 * agent.md: a Claude Code subagent file (frontmatter: name, description, tools) whose
 * body is the system prompt the Claude planner sends.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { ValidationError } from "../errors.js";
import { packageRoot } from "../mcp/package-root.js";

export interface AgentDefinition {
  name: string;
  description: string;
  /** Registry tool names from the frontmatter's comma-separated list. */
  tools: string[];
  /** The system prompt: the file without its frontmatter. */
  prompt: string;
}

export function parseAgentDefinition(text: string, source = "agent.md"): AgentDefinition {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) throw new ValidationError(`${source} has no frontmatter.`, "Start it with a --- block holding name, description and tools.");
  const fm = (parseYaml(m[1]) ?? {}) as Record<string, unknown>;
  if (typeof fm.name !== "string" || typeof fm.description !== "string" || typeof fm.tools !== "string") {
    throw new ValidationError(`${source}: the frontmatter needs name, description and tools (a comma-separated list).`, "Fix the frontmatter of agent.md.");
  }
  return {
    name: fm.name,
    description: fm.description,
    // Claude Code names MCP tools mcp__<server>__<tool>; the registry knows the bare name.
    tools: fm.tools.split(",").map((t) => t.trim().replace(/^mcp__.+?__/, "")).filter(Boolean),
    prompt: m[2].trim(),
  };
}

export function loadAgentDefinition(path = join(packageRoot(), "agent.md")): AgentDefinition {
  return parseAgentDefinition(readFileSync(path, "utf8"), path);
}
