/**
 * Long tool calls as MCP tasks (the SDK's experimental tasks). A tool that declares
 * runsLong (moving slots, draining a node, a drill) lists taskSupport "optional": a
 * client may then send tools/call with `task`, get a task id at once, poll it
 * (tasks/get), read the result (tasks/result) and cancel it (tasks/cancel). The call
 * itself runs exactly as a plain call does (invokeTool), with progress notifications on
 * the request's progress token either way; a cancelled task aborts the call's signal,
 * and the ops stop the way they do for SIGINT (no slot left open). Without `task` in the
 * request, the same tool answers as a plain call.
 */
import { InMemoryTaskStore } from "@modelcontextprotocol/sdk/experimental/tasks";
import type { CreateTaskResult } from "@modelcontextprotocol/sdk/experimental/tasks";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { errorMessage } from "../errors.js";
import type { AnyTool } from "../registry/tool.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** What the McpServer needs to offer tasks: a store and the capability. */
export function taskServerOptions() {
  return {
    taskStore: new InMemoryTaskStore(),
    capabilities: { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
  };
}

export const taskSupport = (tool: AnyTool): "optional" | "forbidden" => (tool.runsLong ? "optional" : "forbidden");

/** How often a running task looks for a cancellation in the store. */
const CANCEL_POLL_MS = 50;

/**
 * Starts `run` as a task and returns at once with its id. The result is stored when the
 * call ends (failed when it is an error result), unless the client cancelled it first.
 */
export async function startTask(extra: Extra, ttl: number | null | undefined, run: (signal: AbortSignal) => Promise<CallToolResult>): Promise<CreateTaskResult> {
  const store = extra.taskStore!;
  const task = await store.createTask({ ttl: ttl ?? null, pollInterval: 200 });
  const controller = new AbortController();
  const watch = setInterval(() => {
    store.getTask(task.taskId).then(
      (t) => t?.status === "cancelled" && controller.abort(),
      () => undefined,
    );
  }, CANCEL_POLL_MS);
  void run(controller.signal)
    .then(
      (result) => store.storeTaskResult(task.taskId, result.isError ? "failed" : "completed", result),
      (err) => store.storeTaskResult(task.taskId, "failed", { isError: true, content: [{ type: "text", text: errorMessage(err) }] }),
    )
    // A task the client cancelled keeps its cancelled status: the store refuses a result then.
    .catch(() => undefined)
    .finally(() => clearInterval(watch));
  return { task };
}
