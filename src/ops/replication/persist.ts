/**
 * REPLICAOF changes a node in memory only: restarted from a config file that does not say
 * `replicaof`, a replica comes back as an empty master (and a master without persistence
 * that restarts with replicas wipes them). So every op that changes a role ends with
 * CONFIG REWRITE on each node it changed, which writes the running role (replicaof, or its
 * absence after a promotion, and masterauth/masteruser) into that node's config file. A
 * node started without a config file cannot keep a role across restarts: the plan says
 * so, and the op's verify (checkReplication's role_not_persisted) names it. Sentinel persists what it changes
 * itself (it sends SLAVEOF and CONFIG REWRITE in one MULTI), so a SENTINEL FAILOVER
 * needs none of this.
 */
import type { Finding } from "../../checks/finding.js";
import { errorMessage } from "../../errors.js";
import type { NodePool } from "../../redis/connection.js";
import type { ReplicationNode } from "../../topology/replication-view.js";
import type { PlanStep } from "./plan.js";

/** A node as persisting needs it: where it runs, its config file ("" = started without one), what it becomes. */
export interface RoleChange {
  address: string;
  configFile?: string;
  /** "replica of HOST:PORT" or "master", for the messages. */
  becomes: string;
}

export const roleChange = (n: ReplicationNode, becomes: string): RoleChange => ({ address: n.address, ...(n.configFile !== undefined ? { configFile: n.configFile } : {}), becomes });

/**
 * Started without a config file: nothing on disk can say its role. Only a replica loses
 * anything by it: such a node restarts as a master anyway (unless its command line names
 * a master, which INFO does not show).
 */
const noFile = (c: RoleChange) => c.configFile === "";
const losesRole = (c: RoleChange) => noFile(c) && c.becomes !== "master";

/** The plan's CONFIG REWRITE steps (nodes with a config file, or whose file INFO did not name). */
export function persistSteps(changes: RoleChange[]): PlanStep[] {
  return changes.filter((c) => !noFile(c)).map((c) => ({ kind: "config-rewrite", node: c.address, description: `CONFIG REWRITE on ${c.address}${c.configFile ? ` (${c.configFile})` : ""}, so it restarts as ${c.becomes}` }));
}

/** The plan's warnings: nodes whose new role a restart forgets. */
export function persistWarnings(changes: RoleChange[]): string[] {
  return changes.filter(losesRole).map((c) => `${c.address} runs without a config file, so its new role (${c.becomes}) is not persisted: a restart brings it back as an empty master.`);
}

function notPersisted(c: RoleChange, why: string): Finding {
  return {
    severity: "warning",
    code: "config_rewrite_failed",
    message: `${c.address} is ${c.becomes} in memory only (${why}): a restart ${c.becomes === "master" ? "may bring back the role it had before" : "brings it back as an empty master"}.`,
    next: "Fix what stopped CONFIG REWRITE (file or directory permissions, a renamed CONFIG command), then run CONFIG REWRITE on it.",
    node: c.address,
  };
}

/** CONFIG REWRITE on each changed node that has a config file; a finding for each where it failed. */
export async function persistRoles(pool: NodePool, changes: RoleChange[]): Promise<Finding[]> {
  const findings = await Promise.all(
    changes.map(async (c): Promise<Finding | undefined> => {
      // No file: replication_check's role_not_persisted names it (the op's verify runs that check).
      if (noFile(c)) return undefined;
      try {
        await (await pool.get(c.address)).call("CONFIG", "REWRITE");
        return undefined;
      } catch (err) {
        return notPersisted(c, `CONFIG REWRITE failed: ${errorMessage(err)}`);
      }
    }),
  );
  return findings.filter((f): f is Finding => f !== undefined);
}
