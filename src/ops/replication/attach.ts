/**
 * replication attach: make nodes replicas of a master (REPLICAOF), wait until each has
 * synced and caught up, verify. Preflight reads every named node first, so an
 * unreachable node, a wrong password, a replica of itself or a loop changes nothing.
 */
import { VerificationFailedError } from "../../errors.js";
import { checkReplication } from "../../checks/replication-checks.js";
import { hasErrors, type Finding } from "../../checks/finding.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { NodePool } from "../../redis/connection.js";
import type { NodeAccess } from "../../redis/node-access.js";
import { readReplicationNode, readReplicationView, type ReplicationNode, type ReplicationView } from "../../topology/replication-view.js";
import type { OpContext } from "../progress.js";
import { waitFor } from "../wait.js";
import { follows, linked, planAttach, type AttachPlan } from "./plan.js";
import { persistRoles, persistSteps, roleChange } from "./persist.js";
import { toolRef } from "../../registry/words.js";

export interface AttachRequest {
  master: string;
  replicas: string[];
  /** Per-node credentials and policy, from ctx.targets.resolve(). */
  access: NodeAccess;
  zones?: Record<string, string>;
  dryRun?: boolean;
  /** Give up waiting for sync after this long. @default 30000 */
  timeoutMs?: number;
}

export interface AttachResult {
  applied: boolean;
  plan: AttachPlan;
  /** ms from the first REPLICAOF until every replica was in sync. */
  syncMs?: number;
  findings: Finding[];
  view?: ReplicationView;
}

/** Reads every named node; the first unreachable or refused one throws its typed error. */
export async function readNamed(pool: NodePool, addresses: string[], zones: Record<string, string> = {}): Promise<ReplicationNode[]> {
  return Promise.all(addresses.map((a) => readReplicationNode(pool, formatAddress(parseAddress(a)), zones[a])));
}

/** A replica is in sync when it is linked (its link up, and its master lists it online) and has reached the master's offset. */
export function inSync(master: ReplicationNode, replica: ReplicationNode, targetOffset: number): boolean {
  return linked(replica, master) && replica.replication.offset >= targetOffset;
}

export async function attachReplicas(req: AttachRequest, ctx: OpContext): Promise<AttachResult> {
  const pool = new NodePool(req.access);
  try {
    const [master, ...replicas] = await readNamed(pool, [req.master, ...req.replicas], req.zones);
    const plan = planAttach(master, replicas);
    // Each replica gets the master's credentials as masterauth: refused here (dry run too) when it has another owner.
    const masterAuth = new Map(replicas.map((r) => [r.address, req.access.forward(master.address, r.address, "as masterauth")]));
    if (req.dryRun) return { applied: false, plan, findings: [] };
    const t0 = Date.now();
    const { host, port } = parseAddress(master.address);
    for (const step of plan.steps.filter((s) => s.kind === "replicaof")) {
      const client = await pool.get(step.node);
      const auth = masterAuth.get(step.node) ?? req.access.forward(master.address, step.node, "as masterauth");
      // The replica authenticates to its master with the master's credentials (masterauth / masteruser).
      if (auth.password !== undefined) {
        await client.call("CONFIG", "SET", "masterauth", auth.password);
        if (auth.username) await client.call("CONFIG", "SET", "masteruser", auth.username);
      }
      await client.call("REPLICAOF", host, String(port));
      ctx.progress({ step: "replicaof", message: step.description, elapsedMs: Date.now() - t0 });
    }
    // Written before the sync wait: an interrupted attach leaves the replicas persisted as replicas.
    const changes = replicas.map((r) => roleChange(r, `replica of ${master.address}`));
    const persistFindings = await persistRoles(pool, changes);
    ctx.progress({ step: "persist", message: `${persistSteps(changes).length - persistFindings.length} replica(s) wrote their role to their config file (CONFIG REWRITE)`, elapsedMs: Date.now() - t0 });
    const timeoutMs = req.timeoutMs ?? 30_000;
    await waitFor(
      async () => {
        const [m] = await readNamed(pool, [master.address]);
        const rs = await readNamed(pool, replicas.map((r) => r.address));
        // The master is read first: a replica read after it that has reached its offset has caught up.
        return rs.every((r) => inSync(m, r, m.replication.offset)) ? true : undefined;
      },
      { what: `replicas of ${master.address} in sync`, timeoutMs, signal: ctx.signal, cancelled: `Cancelled while the replicas synced; REPLICAOF was already sent, so they keep syncing. Check with ${toolRef("replication_check")}.` },
    );
    const syncMs = Date.now() - t0;
    ctx.progress({ step: "sync", message: `${replicas.length} replica(s) in sync with ${master.address}`, elapsedMs: syncMs });
    const view = await readReplicationView([master.address, ...replicas.map((r) => r.address)], { pool, zones: req.zones });
    const findings = [...checkReplication(view), ...persistFindings];
    const notFollowing = replicas.filter((r) => !view.nodes.some((n) => n.runId === r.runId && follows(n, master)));
    for (const r of notFollowing) findings.push({ severity: "error", code: "attach_not_applied", message: `${r.address} does not replicate from ${master.address} after REPLICAOF.`, next: "Check the replica's log; it may have been repointed by Sentinel.", node: r.address });
    if (hasErrors(findings)) throw new VerificationFailedError(`The replicas were attached but did not verify: ${findings.find((f) => f.severity === "error")!.message}`, findings);
    return { applied: true, plan, syncMs, findings, view };
  } finally {
    await pool.close();
  }
}
