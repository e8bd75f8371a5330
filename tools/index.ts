/** The one list of tools. MCP, the agent loop, runbooks and the CLI all read it. */
import type { AnyTool } from "../src/registry/tool.js";
import { labUp } from "./lab/lab-up.js";
import { labStatus } from "./lab/lab-status.js";
import { labDown } from "./lab/lab-down.js";
import { labList } from "./lab/lab-list.js";
import { labImage } from "./lab/lab-image.js";
import { labKill } from "./lab/lab-kill.js";
import { labStop } from "./lab/lab-stop.js";
import { labStart } from "./lab/lab-start.js";
import { labRestart } from "./lab/lab-restart.js";
import { labPause } from "./lab/lab-pause.js";
import { labUnpause } from "./lab/lab-unpause.js";
import { labPartition } from "./lab/lab-partition.js";
import { labHeal } from "./lab/lab-heal.js";
import { clusterCreate } from "./cluster/cluster-create.js";
import { clusterCheck } from "./cluster/cluster-check.js";
import { clusterInfo } from "./cluster/cluster-info.js";
import { runbookRun } from "./runbook/runbook-run.js";
import { clusterReshard } from "./cluster/cluster-reshard.js";
import { clusterRebalance } from "./cluster/cluster-rebalance.js";
import { clusterFix } from "./cluster/cluster-fix.js";
import { clusterAddNode } from "./cluster/cluster-add-node.js";
import { clusterDelNode } from "./cluster/cluster-del-node.js";
import { clusterFailover } from "./cluster/cluster-failover.js";

export const allTools: readonly AnyTool[] = [
  labUp, labStatus, labDown, labList,
  labImage, labKill, labStop, labStart, labRestart, labPause, labUnpause, labPartition, labHeal,
  clusterCreate, clusterCheck, clusterInfo,
  runbookRun,
  clusterReshard, clusterRebalance, clusterFix, clusterAddNode, clusterDelNode, clusterFailover,
];
