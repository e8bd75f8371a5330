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
import { replicationCheck } from "./replication/replication-check.js";
import { replicationInfo } from "./replication/replication-info.js";
import { replicationLag } from "./replication/replication-lag.js";
import { replicationAttach } from "./replication/replication-attach.js";
import { replicationSwitchover } from "./replication/replication-switchover.js";
import { replicationPromote } from "./replication/replication-promote.js";
import { replicationDetach } from "./replication/replication-detach.js";
import { sentinelCheck } from "./sentinel/sentinel-check.js";
import { sentinelMonitor } from "./sentinel/sentinel-monitor.js";
import { sentinelFailoverTool } from "./sentinel/sentinel-failover.js";
import { sentinelClientSettings } from "./sentinel/sentinel-client-settings.js";
import { drillSwitchover } from "./drills/drill-switchover.js";
import { drillSentinelFailover } from "./drills/drill-sentinel-failover.js";
import { drillKillMaster } from "./drills/drill-kill-master.js";
import { drillReadScaling } from "./drills/drill-read-scaling.js";
import { drillSplitBrain } from "./drills/drill-split-brain.js";
import { drillReshard } from "./drills/drill-reshard.js";
import { drillKillFix } from "./drills/drill-kill-fix.js";
import { drillClusterFailover } from "./drills/drill-cluster-failover.js";

export const allTools: readonly AnyTool[] = [
  labUp, labStatus, labDown, labList,
  labImage, labKill, labStop, labStart, labRestart, labPause, labUnpause, labPartition, labHeal,
  clusterCreate, clusterCheck, clusterInfo,
  runbookRun,
  clusterReshard, clusterRebalance, clusterFix, clusterAddNode, clusterDelNode, clusterFailover,
  replicationCheck, replicationInfo, replicationLag, replicationAttach, replicationSwitchover, replicationPromote, replicationDetach,
  sentinelCheck, sentinelMonitor, sentinelFailoverTool, sentinelClientSettings,
  drillSwitchover, drillSentinelFailover, drillKillMaster, drillReadScaling, drillSplitBrain,
  drillReshard, drillKillFix, drillClusterFailover,
];
