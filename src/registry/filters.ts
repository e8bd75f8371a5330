/**
 * The filter pipeline front ends use on the one list of tools (tools/index.ts): toolsets
 * first, then read-only mode, which drops every tool without readOnlyHint. Front ends
 * pass the list in; nothing here imports it.
 */
import type { AnyTool, Toolset } from "./tool.js";

export interface ToolFilter {
  /** Only these toolsets (default: all). */
  toolsets?: Toolset[];
  /** Drop every tool that is not read-only. */
  readOnly?: boolean;
}

export function selectTools(tools: readonly AnyTool[], filter: ToolFilter = {}): AnyTool[] {
  return tools
    .filter((t) => !filter.toolsets || filter.toolsets.includes(t.toolset))
    .filter((t) => !filter.readOnly || t.annotations.readOnlyHint);
}

export function findTool(tools: readonly AnyTool[], name: string): AnyTool | undefined {
  return tools.find((t) => t.name === name);
}
