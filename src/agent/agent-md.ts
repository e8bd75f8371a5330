/**
 * agent.md: a Claude Code subagent file (frontmatter: name, description, tools) whose
 * body is the system prompt the Claude planner sends.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { parseFrontmatter } from "../frontmatter.js";
import { packageRoot } from "../package-root.js";

export interface AgentDefinition {
  name: string;
  description: string;
  /** Registry tool names from the frontmatter's comma-separated list. */
  tools: string[];
  /** The system prompt: the file without its frontmatter. */
  prompt: string;
}

const AgentFrontmatter = z.object({
  name: z.string(),
  description: z.string(),
  /** Comma-separated, as Claude Code reads it. */
  tools: z.string(),
});

export function parseAgentDefinition(text: string, source = "agent.md"): AgentDefinition {
  const { data, body } = parseFrontmatter(text, AgentFrontmatter, source, "name, description and tools");
  return {
    name: data.name,
    description: data.description,
    // Claude Code names MCP tools mcp__<server>__<tool>; the registry knows the bare name.
    tools: data.tools.split(",").map((t) => t.trim().replace(/^mcp__.+?__/, "")).filter(Boolean),
    prompt: body,
  };
}

export function loadAgentDefinition(path = join(packageRoot(), "agent.md")): AgentDefinition {
  return parseAgentDefinition(readFileSync(path, "utf8"), path);
}
