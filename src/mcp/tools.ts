/**
 * Registers registry tools on an McpServer. Each call goes through invokeTool (the
 * same validation, confirmation and mutation policy as every front end); this file
 * only maps MCP's request context onto a ToolContext and the result back.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { AnyTool } from "../../tools/tool.js";
import { canElicit, elicitConfirmer } from "./confirm.js";
import type { ServerDeps } from "./deps.js";
import { progressSink } from "./progress.js";
import { toCallToolResult } from "./tool-result.js";

export const TOOLSET_META_KEY = "redis-pilot/toolset";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

async function callTool(server: McpServer, tool: AnyTool, args: Record<string, unknown>, extra: Extra, deps: ServerDeps): Promise<CallToolResult> {
  // Loaded on the first call, not at start-up, so tools/list answers sooner.
  const { invokeTool } = await import("../registry/invoke.js");
  const confirmer = tool.annotations.destructiveHint && canElicit(server) ? elicitConfirmer(server, extra) : undefined;
  // With a user to ask, the model's own `confirm: true` does not stand in for their answer.
  const { confirm: _modelConfirm, ...rest } = args;
  const result = await invokeTool(tool, confirmer ? rest : args, {
    ctx: { progress: progressSink(extra), signal: extra.signal, targets: deps.targets },
    confirm: confirmer?.confirm,
  });
  return toCallToolResult(tool, result, confirmer?.outcome());
}

export function registerTools(server: McpServer, deps: ServerDeps): void {
  for (const tool of deps.tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { title: tool.title, ...tool.annotations },
        _meta: { [TOOLSET_META_KEY]: tool.toolset },
      },
      (args, extra) => callTool(server, tool, args as Record<string, unknown>, extra, deps),
    );
  }
}
