/**
 * Detach and promote. Detach: REPLICAOF NO ONE on one replica, which becomes a master
 * of its own with the data it had (others untouched). Promote: for a master that is gone,
 * make one replica the master and repoint the other replicas that followed the old
 * master to it. A promote refuses while the old master still answers as a master: then a
 * planned switchover (replication_switchover) loses nothing, and a promote would split
 * the brain.
 */
import { ValidationError, VerificationFailedError } from "../../errors.js";
import { checkReplication } from "../../checks/replication-checks.js";
import { hasErrors, type Finding } from "../../checks/finding.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { NodePool } from "../../redis/connection.js";
import type { NodeAccess } from "../../redis/node-access.js";
import { readReplicationNode, readReplicationView, type ReplicationNode } from "../../topology/replication-view.js";
import type { OpContext } from "../progress.js";
import { waitFor } from "../wait.js";
import { readNamed } from "./attach.js";
import { follows, linked, masterOf, type PlanStep } from "./plan.js";
import { persistRoles, persistSteps, persistWarnings, roleChange, type RoleChange } from "./persist.js";
import { toolRef } from "../../registry/words.js";

export interface PromoteRequest {
  /** The replica to promote (or detach). */
  replica: string;
  /** Other nodes to consider (replicas of the same old master); default: none beyond what the replica reports. */
  peers?: string[];
  access: NodeAccess;
  zones?: Record<string, string>;
  /** detach: only this node; promote: also repoint the old master's other replicas. */
  mode: "detach" | "promote";
  dryRun?: boolean;
}

export interface PromotePlan {
  kind: "replication-promote";
  version: 1;
  mode: "detach" | "promote";
  replica: string;
  oldMaster?: string;
  repoint: string[];
  steps: PlanStep[];
  warnings: string[];
}

export interface PromoteResult {
  applied: boolean;
  plan: PromotePlan;
  /** ms until the promoted node answered role:master. */
  writableMs?: number;
  findings: Finding[];
}

/** The promoted node becomes a master, the repointed ones its replicas: what each config file must say. */
const roleChanges = (replica: ReplicationNode, repointed: ReplicationNode[]): RoleChange[] => [roleChange(replica, "master"), ...repointed.map((r) => roleChange(r, `replica of ${replica.address}`))];

export function planPromote(mode: "detach" | "promote", replica: ReplicationNode, oldMaster: ReplicationNode | undefined, siblings: ReplicationNode[]): PromotePlan {
  if (replica.replication.role !== "replica") throw new ValidationError(`${replica.address} is already a master.`, "Name a replica.");
  const old = masterOf(replica);
  const warnings: string[] = [];
  if (mode === "promote" && oldMaster && oldMaster.replication.role === "master") {
    throw new ValidationError(`The master ${oldMaster.address} of ${replica.address} is up and answering as a master: promoting now would leave two masters.`, `Use ${toolRef("replication_switchover")} (planned, loses nothing), or ${toolRef("replication_detach")} to split ${replica.address} off on purpose.`);
  }
  if (replica.replication.masterLinkStatus === "up" && mode === "detach") warnings.push(`${replica.address} stops receiving ${old}'s writes from now on; clients writing to ${old} do not see it.`);
  if (mode === "promote") warnings.push(`Writes ${old} acknowledged but had not sent to ${replica.address} are lost (replication is asynchronous).`);
  const repoint = mode === "promote" ? siblings.filter((s) => s.runId !== replica.runId && (oldMaster === undefined ? masterOf(s) === old : follows(s, oldMaster))).map((s) => s.address) : [];
  const { host, port } = parseAddress(replica.address);
  const changes = roleChanges(replica, siblings.filter((s) => repoint.includes(s.address)));
  warnings.push(...persistWarnings(changes));
  const steps: PlanStep[] = [
    { kind: "replicaof-no-one", node: replica.address, description: `REPLICAOF NO ONE on ${replica.address} (it keeps its data, offset ${replica.replication.offset})` },
    ...repoint.map((r) => ({ kind: "replicaof" as const, node: r, description: `REPLICAOF ${host} ${port} on ${r}` })),
    ...persistSteps(changes),
  ];
  return { kind: "replication-promote", version: 1, mode, replica: replica.address, ...(old ? { oldMaster: old } : {}), repoint, steps, warnings };
}

export async function promote(req: PromoteRequest, ctx: OpContext): Promise<PromoteResult> {
  const pool = new NodePool(req.access);
  try {
    const replica = await readReplicationNode(pool, formatAddress(parseAddress(req.replica)), req.zones?.[req.replica]);
    const old = masterOf(replica);
    let oldMaster: ReplicationNode | undefined;
    if (old && replica.replication.role === "replica") {
      // The old master is a peer the replica reports: admitted before it is read. Unreachable = gone.
      const grant = await req.access.admit(old, replica.address);
      oldMaster = await readReplicationNode(pool, grant.address).catch(() => undefined);
    }
    // Peers that do not answer are skipped: the dead master is usually among them.
    const named = (await Promise.allSettled((req.peers ?? []).map((p) => readReplicationNode(pool, formatAddress(parseAddress(p)), req.zones?.[p])))).flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const fromMaster = oldMaster ? await Promise.all(oldMaster.replication.connectedReplicas.map(async (l) => (await req.access.admit(l.address, oldMaster!.address)).address)) : [];
    const siblings = [...named, ...(await readNamed(pool, fromMaster.filter((a) => !named.some((n) => n.address === a))))];
    const plan = planPromote(req.mode, replica, oldMaster, siblings);
    if (req.dryRun) return { applied: false, plan, findings: [] };
    const t0 = Date.now();
    await (await pool.get(replica.address)).call("REPLICAOF", "NO", "ONE");
    await waitFor(async () => ((await readReplicationNode(pool, replica.address)).replication.role === "master" ? true : undefined), { what: `${replica.address} promoted`, timeoutMs: 5000, intervalMs: 1, signal: ctx.signal });
    const writableMs = Date.now() - t0;
    ctx.progress({ step: "promote", message: `${replica.address} is a master (${writableMs} ms)`, elapsedMs: writableMs });
    const { host, port } = parseAddress(replica.address);
    for (const r of plan.repoint) {
      await (await pool.get(r)).call("REPLICAOF", host, String(port));
      ctx.progress({ step: "replicaof", message: `${r} now replicates from ${replica.address}`, elapsedMs: Date.now() - t0 });
    }
    if (plan.repoint.length) {
      await waitFor(async () => {
        const [m, ...rs] = await readNamed(pool, [replica.address, ...plan.repoint]);
        return rs.every((r) => linked(r, m)) ? true : undefined;
      }, { what: `replicas following ${replica.address}`, timeoutMs: 15_000, signal: ctx.signal });
    }
    const persistFindings = await persistRoles(pool, roleChanges(replica, siblings.filter((s) => plan.repoint.includes(s.address))));
    const view = await readReplicationView([replica.address, ...plan.repoint], { pool, zones: req.zones, discover: false });
    const findings = [...checkReplication(view).filter((f) => f.code !== "master_without_replica" || req.mode === "promote"), ...persistFindings];
    if (view.nodes.find((n) => n.runId === replica.runId)?.replication.role !== "master") findings.push({ severity: "error", code: "promote_not_applied", message: `${replica.address} is not a master after REPLICAOF NO ONE.`, next: `Check whether Sentinel repointed it; promote through ${toolRef("sentinel_failover")} where sentinels watch it.`, node: replica.address });
    if (hasErrors(findings)) throw new VerificationFailedError(`${replica.address} was promoted but did not verify: ${findings.find((f) => f.severity === "error")!.message}`, findings);
    return { applied: true, plan, writableMs, findings };
  } finally {
    await pool.close();
  }
}
