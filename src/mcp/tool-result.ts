/**
 * Shapes an invokeTool result as an MCP CallToolResult: structuredContent plus the
 * tool's short summary on success; on failure an isError result whose text is one
 * sentence and the next step (never a stack trace), with the dry-run plan attached
 * when a destructive call was not confirmed.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { InvokeResult } from "../registry/invoke.js";
import type { AnyTool } from "../registry/tool.js";

/** How the user answered an elicitation, when one was sent. */
export type ConfirmOutcome = "accepted" | "declined" | "cancelled" | "failed";

export const ERROR_META_KEY = "redis-pilot/error";

/** A plan that fits the output schema reads as the tool's own summary; anything else as JSON. */
function planText(tool: AnyTool, plan: Record<string, unknown>, fits: boolean): string {
  return `\n\nPlan (dry run, nothing was changed):\n${fits ? tool.summarize(plan) : JSON.stringify(plan, null, 2)}`;
}

function declinedText(tool: AnyTool, outcome: ConfirmOutcome): string {
  if (outcome === "failed") return `Asking the user to confirm ${tool.name} failed, so nothing was changed. Ask the user directly before trying again.`;
  return `The user ${outcome} ${tool.name}; nothing was changed. Do not retry unless the user asks for it again.`;
}

export function toCallToolResult(tool: AnyTool, result: InvokeResult, outcome?: ConfirmOutcome): CallToolResult {
  if (result.ok) return { content: [{ type: "text", text: result.summary }], structuredContent: result.output };
  const asked = result.error.code === "confirmation_required" && outcome !== undefined && outcome !== "accepted";
  const text = asked ? declinedText(tool, outcome) : result.summary;
  // The plan is a dry-run output of the same tool; attach it structured only when it fits the schema,
  // because clients validate structuredContent against outputSchema.
  const fits = result.plan !== undefined && tool.output.safeParse(result.plan).success;
  return {
    isError: true,
    content: [{ type: "text", text: text + (result.plan ? planText(tool, result.plan, fits) : "") }],
    ...(fits ? { structuredContent: result.plan } : {}),
    _meta: { [ERROR_META_KEY]: result.error },
  };
}
