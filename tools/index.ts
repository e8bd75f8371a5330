/** The one list of tools. MCP, the agent loop, runbooks and the CLI all read it. */
import type { AnyTool, Toolset } from "./tool.js";
import { labUp } from "./lab/lab-up.js";
import { labStatus } from "./lab/lab-status.js";
import { labDown } from "./lab/lab-down.js";
import { labList } from "./lab/lab-list.js";
import { clusterCreate } from "./cluster/cluster-create.js";
import { clusterCheck } from "./cluster/cluster-check.js";
import { clusterInfo } from "./cluster/cluster-info.js";

export const allTools: AnyTool[] = [
  labUp,
  labStatus,
  labDown,
  labList,
  clusterCreate,
  clusterCheck,
  clusterInfo,
] as unknown as AnyTool[];

export interface ToolFilter {
  /** Only these toolsets (default: all). */
  toolsets?: Toolset[];
  /** Drop every tool that is not read-only. */
  readOnly?: boolean;
}

/** The filter pipeline front ends use: toolsets first, then read-only mode. */
export function selectTools(filter: ToolFilter = {}, tools: AnyTool[] = allTools): AnyTool[] {
  return tools
    .filter((t) => !filter.toolsets || filter.toolsets.includes(t.toolset))
    .filter((t) => !filter.readOnly || t.annotations.readOnlyHint);
}

export function findTool(name: string, tools: AnyTool[] = allTools): AnyTool | undefined {
  return tools.find((t) => t.name === name);
}
