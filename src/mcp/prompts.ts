/**
 * MCP prompts from prompts/*.md. The files are read when a client first lists or gets
 * a prompt (not at start-up, which must answer tools/list quickly), and re-read on
 * every request, so an edited prompt takes effect without a restart.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, GetPromptRequestSchema, ListPromptsRequestSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import { PilotError, quoted } from "../errors.js";
import { packageRoot } from "../package-root.js";
import type { PromptDef } from "./prompt-template.js";

export function promptsDir(): string {
  return join(packageRoot(), "prompts");
}

export async function loadPrompts(dir = promptsDir()): Promise<PromptDef[]> {
  const { parsePrompt } = await import("./prompt-template.js");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".md")).sort();
  return Promise.all(files.map(async (f) => parsePrompt(await readFile(join(dir, f), "utf8"), f)));
}

/** A prompt argument is a name, an address, a short phrase: 4 KiB is plenty, and bounds what a prompt costs. */
export const MAX_PROMPT_ARGUMENT_CHARS = 4096;
export const MAX_PROMPT_ARGUMENTS = 32;

/** Refuses oversized prompt arguments with one sentence that names the argument, never its value. */
export function checkPromptArguments(args: Record<string, string>): void {
  const entries = Object.entries(args);
  if (entries.length > MAX_PROMPT_ARGUMENTS) {
    throw new McpError(ErrorCode.InvalidParams, `A prompt takes at most ${MAX_PROMPT_ARGUMENTS} arguments; ${entries.length} were sent.`);
  }
  for (const [name, value] of entries) {
    if (String(value).length > MAX_PROMPT_ARGUMENT_CHARS) {
      throw new McpError(ErrorCode.InvalidParams, `Prompt argument ${quoted(name)} is ${String(value).length} characters long; at most ${MAX_PROMPT_ARGUMENT_CHARS} are taken.`);
    }
  }
}

export function registerPrompts(server: McpServer, dir = promptsDir()): void {
  server.server.registerCapabilities({ prompts: {} });
  server.server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: (await loadPrompts(dir)).map((p) => ({
      name: p.name,
      title: p.title,
      description: p.description,
      arguments: p.arguments.map((a) => ({ name: a.name, description: a.description, required: a.required })),
    })),
  }));
  server.server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const { renderPrompt } = await import("./prompt-template.js");
    const def = (await loadPrompts(dir)).find((p) => p.name === request.params.name);
    if (!def) throw new McpError(ErrorCode.InvalidParams, `No prompt named ${quoted(request.params.name)}. List them with prompts/list.`);
    checkPromptArguments(request.params.arguments ?? {});
    try {
      const text = renderPrompt(def, request.params.arguments ?? {});
      return { description: def.description, messages: [{ role: "user" as const, content: { type: "text" as const, text } }] };
    } catch (err) {
      if (err instanceof PilotError) throw new McpError(ErrorCode.InvalidParams, `${err.message} ${err.next}`);
      throw err;
    }
  });
}
