/**
 * Confirmation of destructive calls through MCP elicitation: the user (not the model)
 * sees the dry-run summary and answers yes or no in the client. When the client cannot
 * elicit, there is no confirmer and invokeTool asks for `confirm: true` instead.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { InvokeOptions } from "../registry/invoke.js";
import type { ConfirmOutcome } from "./tool-result.js";

/** How long the user has to answer before the call is treated as not confirmed. */
const ANSWER_TIMEOUT_MS = 10 * 60_000;

export const confirmSchema = {
  type: "object" as const,
  properties: {
    confirm: { type: "boolean" as const, title: "Proceed", description: "Yes to run it now; no to leave everything as it is." },
  },
  required: ["confirm"],
};

export function canElicit(server: McpServer): boolean {
  return server.server.getClientCapabilities()?.elicitation?.form !== undefined;
}

export interface Confirmer {
  confirm: NonNullable<InvokeOptions["confirm"]>;
  /** Set once the user answered (or the question failed). */
  outcome(): ConfirmOutcome | undefined;
}

export function elicitConfirmer(server: McpServer, extra: RequestHandlerExtra<ServerRequest, ServerNotification>): Confirmer {
  let outcome: ConfirmOutcome | undefined;
  return {
    outcome: () => outcome,
    async confirm(question) {
      try {
        const answer = await server.server.elicitInput(
          { mode: "form", message: question, requestedSchema: confirmSchema },
          // Related to the tool call, so over HTTP the question travels on that call's stream.
          { relatedRequestId: extra.requestId, signal: extra.signal, timeout: ANSWER_TIMEOUT_MS },
        );
        const yes = answer.action === "accept" && answer.content?.confirm === true;
        outcome = yes ? "accepted" : answer.action === "cancel" ? "cancelled" : "declined";
        return yes;
      } catch {
        outcome = "failed";
        return false;
      }
    },
  };
}
