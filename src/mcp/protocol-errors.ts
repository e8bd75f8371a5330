/**
 * Protocol-level errors in the words of MCP: every request handler of a session is
 * wrapped once, after registration, so that parameters the SDK's schema refuses
 * (`arguments: null`) come back as -32602 Invalid params with one sentence instead of
 * -32603 and zod's raw JSON; a bug is one line; and no error message echoes a huge
 * argument or a secret (clipped and redacted).
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { PilotError, REPORT_BUG, clipMessage, internalMessage } from "../errors.js";
import { describeIssues } from "../registry/input-issue.js";
import { redactText } from "../secrets.js";

type Handler = (request: { method: string; params?: unknown }, extra: unknown) => Promise<unknown>;

function isZodError(err: unknown): err is { issues: Parameters<typeof describeIssues>[0] } {
  return err instanceof Error && /^\$?ZodError$/.test(err.name) && Array.isArray((err as { issues?: unknown }).issues);
}

/** The error a client should see for what a handler threw. */
export function protocolError(method: string, request: unknown, err: unknown): McpError {
  const say = (code: number, text: string) => new McpError(code, clipMessage(redactText(text)));
  if (err instanceof McpError) return say(err.code, err.message.replace(/^MCP error -?\d+: /, ""));
  if (isZodError(err)) return say(ErrorCode.InvalidParams, `Invalid params for ${method}: ${describeIssues(err.issues, request).sentence}.`);
  if (err instanceof PilotError) return say(err.code === "invalid_input" ? ErrorCode.InvalidParams : ErrorCode.InternalError, `${err.message} ${err.next}`);
  process.stderr.write(`redis-pilot mcp: ${method} failed: ${redactText(internalMessage(err))}\n`);
  return say(ErrorCode.InternalError, `${internalMessage(err)} ${REPORT_BUG}`);
}

/** Wraps every request handler registered on the server so far (call it last). */
export function guardRequestHandlers(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers;
  for (const [method, handler] of handlers) {
    handlers.set(method, async (request, extra) => {
      try {
        return await handler(request, extra);
      } catch (err) {
        throw protocolError(method, request, err);
      }
    });
  }
}
