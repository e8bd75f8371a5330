/**
 * Node faults for the docker backend, through the engine's API on the node's own
 * container id: kill (SIGKILL), stop (SIGTERM, then SIGKILL after 5 s), start, and
 * pause/unpause (the cgroup freezer: the kernel still completes TCP handshakes on the
 * host network, redis-server answers nothing).
 */
import type Dockerode from "dockerode";
import { LabError } from "../../errors.js";
import { toolRef } from "../../registry/words.js";
import type { NodeFaults } from "../faults/types.js";
import type { LabNode, LabState } from "../types.js";
import { READY_TIMEOUT_MS, waitContainerReady } from "./container.js";
import { connectEngine, statusOf } from "./engine.js";

const STOP_GRACE_S = 5;

async function containerOf(node: LabNode): Promise<Dockerode.Container> {
  if (!node.containerId) throw new LabError(`Node ${node.host}:${node.port} has no container id in the lab state.`, "Down the lab and start it again.");
  return (await connectEngine()).getContainer(node.containerId);
}

/** Runs an engine call; "already in that state" (304) is fine, a gone container is named. */
async function engineCall(node: LabNode, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    const status = statusOf(err);
    if (status === 304) return;
    if (status === 404) throw new LabError(`The container of node ${node.host}:${node.port} is gone.`, "Down the lab and start it again.");
    throw err;
  }
}

export const dockerFaults: NodeFaults = {
  async kill(_state, node) {
    const c = await containerOf(node);
    await engineCall(node, () => c.kill({ signal: "SIGKILL" }));
    await c.wait();
    return { ...node, fault: "killed" };
  },

  async stop(_state, node) {
    const c = await containerOf(node);
    await engineCall(node, () => c.stop({ t: STOP_GRACE_S }));
    return { ...node, fault: "stopped" };
  },

  async start(state: LabState, node) {
    const c = await containerOf(node);
    await engineCall(node, () => c.start());
    const outcome = await waitContainerReady(c, node.host, node.port, node.dir, state.password);
    if (outcome.kind === "timeout") throw new LabError(`Node ${node.host}:${node.port} did not answer within ${READY_TIMEOUT_MS} ms of its start.`, `Check its log in the node dir (redis.log) and ${toolRef("lab_status")}.`);
    if (outcome.kind === "exited") {
      throw new LabError(`Node ${node.host}:${node.port} exited at start: ${outcome.log.replace(/\s*\n\s*/g, " | ") || "no log output"}.`, `If another process took port ${node.port}, stop it and start the node again.`);
    }
    const { fault: _gone, ...rest } = node;
    return rest;
  },

  async pause(_state, node) {
    const c = await containerOf(node);
    await engineCall(node, () => c.pause());
    return { ...node, fault: "paused" };
  },

  async unpause(_state, node) {
    const c = await containerOf(node);
    await engineCall(node, () => c.unpause());
    const { fault: _gone, ...rest } = node;
    return rest;
  },
};
