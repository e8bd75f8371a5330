/**
 * Serves registry tools on an McpServer. We answer tools/list and tools/call ourselves
 * instead of McpServer.registerTool, because the SDK validates arguments before any
 * handler runs and answers a bad one with zod's text; here every call, bad arguments
 * included, goes through invokeTool (the same validation, confirmation and mutation
 * policy as every front end), so a bad argument reads as one sentence with a next step.
 * Both handlers exist even when the session has no tools. This file only maps MCP's
 * request context onto a ToolContext and the result back.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
  type Tool as ListedTool,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { quoted } from "../errors.js";
import type { AnyTool } from "../registry/tool.js";
import { canElicit, elicitConfirmer } from "./confirm.js";
import type { ServerDeps } from "./deps.js";
import { progressSink } from "./progress.js";
import { startTask, taskSupport } from "./tasks.js";
import { toCallToolResult } from "./tool-result.js";

export const TOOLSET_META_KEY = "redis-pilot/toolset";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** What tools/list says about a tool: the real zod schemas as JSON Schema (draft 7, as the SDK emits them). */
export function listedTool(tool: AnyTool): ListedTool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { target: "draft-7", io: "input" }) as ListedTool["inputSchema"],
    outputSchema: z.toJSONSchema(tool.output, { target: "draft-7", io: "output" }) as ListedTool["outputSchema"],
    annotations: { title: tool.title, ...tool.annotations },
    execution: { taskSupport: taskSupport(tool) },
    _meta: { [TOOLSET_META_KEY]: tool.toolset },
  };
}

function notInSession(name: string, deps: ServerDeps): CallToolResult {
  const names = deps.tools.map((t) => t.name);
  return {
    isError: true,
    content: [
      {
        type: "text",
        text:
          `No tool named ${quoted(name)} in this session (it is unknown, or left out by --read-only or --toolsets). ` +
          (names.length ? `Use one of ${names.join(", ")}.` : "This session has no tools; restart the server with other --toolsets."),
      },
    ],
  };
}

async function callTool(server: McpServer, tool: AnyTool, args: Record<string, unknown>, extra: Extra, deps: ServerDeps, signal = extra.signal, interactive = true): Promise<CallToolResult> {
  // Loaded on the first call, not at start-up, so tools/list answers sooner.
  const { invokeTool } = await import("../registry/invoke.js");
  const confirmer = interactive && tool.annotations.destructiveHint && canElicit(server) ? elicitConfirmer(server, extra) : undefined;
  // With a user to ask, the model's own `confirm: true` does not stand in for their answer.
  const { confirm: _modelConfirm, ...rest } = args;
  const result = await invokeTool(tool, confirmer ? rest : args, {
    ctx: { progress: progressSink(extra), signal, targets: deps.targets },
    confirm: confirmer?.confirm,
  });
  // The client that cancelled never reads the result (the SDK drops it): say on stderr how the call ended.
  if (signal.aborted) process.stderr.write(`redis-pilot mcp: ${tool.name} cancelled by the client: ${result.summary}\n`);
  return toCallToolResult(tool, result, confirmer?.outcome());
}

export function registerTools(server: McpServer, deps: ServerDeps): void {
  server.server.registerCapabilities({ tools: {} });
  let listed: ListedTool[] | undefined;
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: (listed ??= deps.tools.map(listedTool)) }));
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = deps.tools.find((t) => t.name === request.params.name);
    if (!tool) return notInSession(request.params.name, deps);
    // Arguments go to invokeTool as sent: it validates them against the tool's zod input.
    const args = request.params.arguments ?? {};
    // A long tool the client asked to run as a task: answer with the task at once. A task
    // runs unattended, so a destructive one takes confirm: true instead of asking.
    if (request.params.task && extra.taskStore && taskSupport(tool) !== "forbidden") {
      return startTask(extra, request.params.task.ttl, (signal) => callTool(server, tool, args, extra, deps, signal, false));
    }
    return callTool(server, tool, args, extra, deps);
  });
}
