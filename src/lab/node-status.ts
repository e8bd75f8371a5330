/**
 * What `lab status` says about a node whose process or container runs: it answered INFO
 * (role, cluster mode, keys), answered with an error, or stayed silent (paused, hung).
 * Shared by both backends; each first checks its own process or container.
 */
import { formatAddress } from "../redis/address.js";
import { keysFromInfo, parseInfo } from "../redis/parse-info.js";
import { probeInfo } from "./node-probe.js";
import type { LabNode, LabNodeStatus } from "./types.js";

export const STATUS_TIMEOUT_MS = 500;

export function statusBase(node: LabNode): Pick<LabNodeStatus, "address" | "zone"> {
  return { address: formatAddress(node), zone: node.zone };
}

/** INFO from a node known to run; `what` names it in the silence message ("process 123", "container 1a2b"). */
export async function answeringStatus(node: LabNode, password: string | undefined, what: string): Promise<LabNodeStatus> {
  const base = statusBase(node);
  const reply = await probeInfo(node.host, node.port, password, STATUS_TIMEOUT_MS);
  if (!reply) return { ...base, running: false, error: `${what} is alive but did not answer within ${STATUS_TIMEOUT_MS} ms (paused?)` };
  if ("error" in reply) return { ...base, running: true, error: reply.error };
  const info = parseInfo(reply.info);
  if (info.server?.values.redis_mode === "sentinel") return { ...base, running: true, role: "sentinel" };
  return {
    ...base,
    running: true,
    role: info.replication?.values.role === "slave" ? "replica" : "master",
    clusterEnabled: info.cluster?.values.cluster_enabled === "1",
    keys: keysFromInfo(info),
  };
}
