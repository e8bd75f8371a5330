/** The one list of tools. MCP, the agent loop, runbooks and the CLI all read it. */
import type { AnyTool } from "../src/registry/tool.js";
import { labUp } from "./lab/lab-up.js";
import { labStatus } from "./lab/lab-status.js";
import { labDown } from "./lab/lab-down.js";
import { labList } from "./lab/lab-list.js";
import { clusterCreate } from "./cluster/cluster-create.js";
import { clusterCheck } from "./cluster/cluster-check.js";
import { clusterInfo } from "./cluster/cluster-info.js";

export const allTools: readonly AnyTool[] = [labUp, labStatus, labDown, labList, clusterCreate, clusterCheck, clusterInfo];
