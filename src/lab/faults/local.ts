/**
 * Node faults for the local backend: signals to the redis-server process, by its own pid
 * and only after /proc shows that pid still runs this node's conf file.
 */
import { LabError } from "../../errors.js";
import { isNodeProcess, respawnNode, stopNode } from "../node-process.js";
import { findRedisServer } from "../redis-binary.js";
import type { LabNode, LabState } from "../types.js";
import type { NodeFaults } from "./types.js";
import { startFirst } from "./next-steps.js";
import { toolRef } from "../../registry/words.js";
import { setTimeout as sleep } from "node:timers/promises";

function livePid(state: LabState, node: LabNode): number {
  if (node.pid === undefined || !isNodeProcess(node.pid, node.dir)) {
    throw new LabError(`Node ${node.host}:${node.port} is not running (pid ${node.pid ?? "unknown"}).`, startFirst(state.name, `${node.host}:${node.port}`));
  }
  return node.pid;
}

async function waitGone(pid: number, dir: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (isNodeProcess(pid, dir)) {
    if (Date.now() > deadline) throw new LabError(`redis-server pid ${pid} did not exit after SIGKILL.`, `Check 'ps -p ${pid}'.`);
    await sleep(5);
  }
}

export const localFaults: NodeFaults = {
  async kill(state, node) {
    const pid = livePid(state, node);
    process.kill(pid, "SIGKILL");
    await waitGone(pid, node.dir);
    return { ...node, fault: "killed" };
  },

  async stop(state, node) {
    await stopNode(livePid(state, node), node.dir);
    return { ...node, fault: "stopped" };
  },

  async start(state, node) {
    if (node.pid !== undefined && isNodeProcess(node.pid, node.dir)) {
      throw new LabError(`Node ${node.host}:${node.port} is already running (pid ${node.pid}).`, `Stop or kill it first, or use ${toolRef("lab_restart")}.`);
    }
    const sentinel = state.sentinels?.some((s) => s.dir === node.dir) ?? false;
    const pid = await respawnNode(findRedisServer(), node.host, node.port, node.dir, state.password, sentinel ? ["--sentinel"] : []);
    const { fault: _gone, ...rest } = node;
    return { ...rest, pid };
  },

  async pause(state, node) {
    process.kill(livePid(state, node), "SIGSTOP");
    return { ...node, fault: "paused" };
  },

  async unpause(state, node) {
    process.kill(livePid(state, node), "SIGCONT");
    const { fault: _gone, ...rest } = node;
    return rest;
  },
};
