/**
 * Faults a lab can inject, per node and per zone. Each backend implements the node faults
 * its way (signals for processes, the engine's API for containers); partitions are
 * iptables rules on loopback addresses and work the same for both.
 */
import type { LabNode, LabState } from "../types.js";

/** The node faults, each a tool and a CLI verb (`lab kill`, `lab pause`, ...). */
export type NodeAction = "kill" | "stop" | "start" | "restart" | "pause" | "unpause";

export const NODE_ACTIONS: readonly NodeAction[] = ["kill", "stop", "start", "restart", "pause", "unpause"];

/**
 * What a backend does to one node. Each returns the node as it is afterwards (a restarted
 * process has a new pid); none saves state, src/lab/faults/index.ts does.
 */
export interface NodeFaults {
  /** SIGKILL: no shutdown, nothing flushed, as in a crash. */
  kill(state: LabState, node: LabNode): Promise<LabNode>;
  /** A clean shutdown (SIGTERM), as in a maintenance stop. */
  stop(state: LabState, node: LabNode): Promise<LabNode>;
  /** Starts a killed or stopped node again with its own config and nodes.conf; resolves once it answers. */
  start(state: LabState, node: LabNode): Promise<LabNode>;
  /** Freezes the process: the kernel still accepts its TCP connections, Redis answers nothing. */
  pause(state: LabState, node: LabNode): Promise<LabNode>;
  unpause(state: LabState, node: LabNode): Promise<LabNode>;
}
