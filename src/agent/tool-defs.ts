/**
 * Anthropic tool definitions generated from the registry's zod input schemas, so the
 * model sees exactly what invokeTool validates. `confirm` is left out: only the user
 * confirms a destructive call (the loop drops a planner's own confirm).
 */
import { z } from "zod";
import type { AnyTool } from "../registry/tool.js";

export interface ModelToolDefinition {
  name: string;
  description: string;
  input_schema: { type: "object"; properties?: Record<string, unknown>; required?: string[]; [k: string]: unknown };
}

export function modelToolDefinition(tool: AnyTool): ModelToolDefinition {
  const schema = z.toJSONSchema(tool.input, { io: "input" }) as Record<string, unknown>;
  delete schema.$schema;
  const properties = { ...((schema.properties as Record<string, unknown>) ?? {}) };
  delete properties.confirm;
  const required = ((schema.required as string[]) ?? []).filter((r) => r !== "confirm");
  const destructive = tool.annotations.destructiveHint ? " Destructive: the user is asked to confirm before it runs." : "";
  const input_schema: ModelToolDefinition["input_schema"] = { ...schema, type: "object", properties };
  if (required.length) input_schema.required = required;
  else delete input_schema.required;
  return { name: tool.name, description: tool.description + destructive, input_schema };
}

export const modelToolDefinitions = (tools: AnyTool[]): ModelToolDefinition[] => tools.map(modelToolDefinition);
