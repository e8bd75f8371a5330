/**
 * cluster failover: CLUSTER FAILOVER on the chosen replica (coordinated by default; FORCE
 * when its master cannot be reached; TAKEOVER when no majority of masters can vote), then
 * measured and verified. Measured: ms from sending the command until the replica accepts
 * a write to one of its master's slots (a DEL of an unused probe key, sent back to back),
 * and until every node agrees. Verified: the replica owns the slots in every node's view,
 * the old master (when it answers) is its replica, roles and slots agree everywhere.
 */
import { checkMembershipAgreement } from "../../checks/node-checks.js";
import { checkSlotAgreement } from "../../checks/slot-checks.js";
import type { Finding } from "../../checks/finding.js";
import { CancelledError, TimeoutError, ValidationError, VerificationFailedError } from "../../errors.js";
import { NodePool, connect } from "../../redis/connection.js";
import { argRef, toolRef } from "../../registry/words.js";
import { countSlots } from "../../redis/slots.js";
import type { ClusterView } from "../../topology/types.js";
import type { OpContext } from "../progress.js";
import { findNode } from "../migrate/cluster-map.js";
import { readSnapshot, settledFindings, type ClusterTarget } from "../migrate/session.js";
import { probeKey } from "./probe.js";

export type FailoverMode = "default" | "force" | "takeover";

export interface FailoverRequest extends ClusterTarget {
  replica: string;
  mode?: FailoverMode;
  dryRun?: boolean;
  /** @default 30000 */
  timeoutMs?: number;
}

export interface FailoverResult {
  applied: boolean;
  mode: FailoverMode;
  replica: { id: string; address: string };
  oldMaster: { id: string; address: string; reachable: boolean };
  slots: number;
  timings: { writableMs?: number; agreedMs?: number; totalMs: number };
  findings: Finding[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pure: is the failover visible everywhere (new master owns the slots in every view, roles agree)? */
export function failedOver(view: ClusterView, replicaId: string, oldMasterId: string): boolean {
  const ownsAll = view.nodes.every((n) => n.peers.find((p) => p.id === replicaId)?.role === "master" && n.peers.find((p) => p.id === replicaId)!.slots.length > 0);
  const old = view.nodes.find((n) => n.self.id === oldMasterId);
  const oldFollows = !old || old.self.masterId === replicaId;
  return ownsAll && oldFollows && checkSlotAgreement(view).length === 0 && checkMembershipAgreement(view).length === 0;
}

export async function failover(req: FailoverRequest, ctx: OpContext): Promise<FailoverResult> {
  const t0 = Date.now();
  const mode = req.mode ?? "default";
  const pool = new NodePool(req.access);
  try {
    const { view, map } = await readSnapshot(pool, req);
    const replica = findNode(map, req.replica, "replica to promote");
    if (replica.role !== "replica" || !replica.masterId) throw new ValidationError(`${replica.address} (${replica.id.slice(0, 8)}) is a master already.`, `Name one of its replicas (${toolRef("cluster_info")} lists them under their master).`);
    const master = map.nodes.find((n) => n.id === replica.masterId);
    if (!master) throw new ValidationError(`The master of ${replica.address} is not in the cluster map.`, `Run ${toolRef("cluster_check")}; the replica may be orphaned.`);
    const slots = countSlots(master.slots);
    if (slots === 0) throw new ValidationError(`${replica.address}'s master ${master.address} serves no slots: there is nothing to take over.`, "Fail over a replica of a master with slots.");
    const masterView = view.nodes.find((n) => n.self.id === master.id);
    const replicaView = view.nodes.find((n) => n.self.id === replica.id);
    if (!replicaView) throw new ValidationError(`${replica.address} cannot be read.`, "A failover runs on the replica: it must answer.");
    if (mode === "default") {
      if (!masterView) throw new ValidationError(`${master.address} cannot be read, and a coordinated failover needs it.`, `Use ${argRef("force", "true", "cluster_failover")} (the master is down but a majority of masters can vote) or ${argRef("takeover", "true", "cluster_failover")}.`);
      if (replicaView.replication.masterLinkStatus !== "up") throw new ValidationError(`${replica.address}'s link to ${master.address} is down, so a coordinated failover would wait for nothing.`, `Use ${argRef("force", "true", "cluster_failover")}, or wait until the link is up (${toolRef("cluster_check")}).`);
    }
    const base = { mode, replica: { id: replica.id, address: replica.address }, oldMaster: { id: master.id, address: master.address, reachable: !!masterView }, slots };
    if (req.dryRun) return { ...base, applied: false, timings: { totalMs: Date.now() - t0 }, findings: [] };

    const key = probeKey(master.slots[0].start);
    const probe = await connect(replica.address, req.access.connection(replica.address));
    const timings: FailoverResult["timings"] = { totalMs: 0 };
    const deadline = Date.now() + (req.timeoutMs ?? 30_000);
    try {
      const sent = Date.now();
      await (await pool.get(replica.address)).call("CLUSTER", "FAILOVER", ...(mode === "default" ? [] : [mode.toUpperCase()]));
      ctx.progress({ step: "failover", message: `CLUSTER FAILOVER${mode === "default" ? "" : ` ${mode.toUpperCase()}`} sent to ${replica.address}`, elapsedMs: Date.now() - t0 });
      // Back to back: the first DEL the replica answers itself is the moment it takes writes.
      for (;;) {
        if (ctx.signal?.aborted) throw new CancelledError("The failover was cancelled while waiting; the replica may still take over.", `Run ${toolRef("cluster_check")} to see which node is master.`);
        try {
          await probe.call("DEL", key);
          timings.writableMs = Date.now() - sent;
          break;
        } catch {
          if (Date.now() > deadline) throw new TimeoutError(`${replica.address} accepting writes after CLUSTER FAILOVER`, req.timeoutMs ?? 30_000);
        }
      }
      ctx.progress({ step: "writable", message: `${replica.address} accepts writes ${timings.writableMs} ms after the command`, elapsedMs: Date.now() - t0 });
      for (;;) {
        const { view: now } = await readSnapshot(pool, req);
        if (failedOver(now, replica.id, master.id)) {
          timings.agreedMs = Date.now() - sent;
          break;
        }
        if (Date.now() > deadline) throw new TimeoutError(`Every node agreeing that ${replica.address} is the master`, req.timeoutMs ?? 30_000);
        await sleep(5);
      }
    } finally {
      probe.disconnect();
    }
    const downOk = (f: Finding) => mode !== "default" && f.node === master.address;
    const { findings } = await settledFindings(pool, req, deadline, downOk);
    const errors = findings.filter((f) => f.severity === "error");
    timings.totalMs = Date.now() - t0;
    if (errors.length) throw new VerificationFailedError(`${replica.address} took over but the cluster did not verify: ${errors[0].message}`, findings);
    return { ...base, applied: true, timings, findings };
  } finally {
    await pool.close();
  }
}
