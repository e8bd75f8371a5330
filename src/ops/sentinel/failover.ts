/**
 * sentinel failover: SENTINEL FAILOVER <name> on one sentinel (a forced failover that
 * needs no agreement that the master is down), then verified the way Redis's own
 * Sentinel tests check it: every sentinel names the new master, the new master answers
 * as one, the other replicas and (when it answers) the old master replicate from it.
 */
import { PilotError, VerificationFailedError } from "../../errors.js";
import { checkSentinels } from "../../checks/sentinel-checks.js";
import { hasErrors, type Finding } from "../../checks/finding.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { NodePool } from "../../redis/connection.js";
import type { NodeAccess } from "../../redis/node-access.js";
import { parseMasterAddr } from "../../redis/parse-sentinel.js";
import { readReplicationNode } from "../../topology/replication-view.js";
import { readSentinelView } from "../../topology/sentinel-view.js";
import { linked } from "../replication/plan.js";
import type { OpContext } from "../progress.js";
import { waitFor } from "../wait.js";
import { sentinelSettings, waitSentinelsAgree } from "./remonitor.js";
import { toolRef } from "../../registry/words.js";

export interface SentinelFailoverRequest {
  sentinels: string[];
  name: string;
  access: NodeAccess;
  dryRun?: boolean;
  /** @default 30000 */
  timeoutMs?: number;
}

export interface SentinelFailoverResult {
  applied: boolean;
  name: string;
  oldMaster: string;
  newMaster?: string;
  /** The sentinel asked to fail over. */
  via: string;
  /** ms from SENTINEL FAILOVER until the new master answered role:master. */
  writableMs?: number;
  /** ms until every sentinel and replica agreed. */
  totalMs?: number;
  replicas: string[];
  findings: Finding[];
}

export async function sentinelFailover(req: SentinelFailoverRequest, ctx: OpContext): Promise<SentinelFailoverResult> {
  const pool = new NodePool(req.access);
  const sentinels = req.sentinels.map((s) => formatAddress(parseAddress(s)));
  try {
    // Every sentinel must know the name and agree on the master before we act.
    await sentinelSettings(pool, sentinels, req.name);
    const before = await readSentinelView(sentinels, { pool, name: req.name, discover: false });
    const first = before.sentinels[0].masters[req.name];
    const oldMaster = formatAddress({ host: first.master.host, port: first.master.port });
    const disagree = checkSentinels(before, req.name).find((f) => f.code === "sentinel_disagree");
    if (disagree) throw new PilotError("sentinels_disagree", disagree.message, `Wait for the sentinels to agree (${toolRef("sentinel_check")}), then retry.`);
    const replicas = first.replicas.map((r) => formatAddress({ host: r.host, port: r.port }));
    const via = sentinels[0];
    const base = { name: req.name, oldMaster, via, replicas };
    if (req.dryRun) return { applied: false, ...base, findings: [] };
    const t0 = Date.now();
    await (await pool.get(via)).call("SENTINEL", "FAILOVER", req.name);
    ctx.progress({ step: "failover", message: `SENTINEL FAILOVER ${req.name} sent to ${via}`, elapsedMs: 0 });
    const timeoutMs = req.timeoutMs ?? 30_000;
    // The new master is the one the asked sentinel names once it differs from the old one.
    const newMaster = await waitFor(async () => {
      const a = parseMasterAddr(await (await pool.get(via)).call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", req.name));
      const at = a && formatAddress(a);
      return at && at !== oldMaster ? at : undefined;
    }, { what: `sentinel ${via} switching ${req.name}`, timeoutMs, intervalMs: 2, signal: ctx.signal });
    const grant = await req.access.admit(newMaster, via);
    await waitFor(async () => ((await readReplicationNode(pool, grant.address)).replication.role === "master" ? true : undefined), { what: `${newMaster} answering as master`, timeoutMs, intervalMs: 2, signal: ctx.signal });
    const writableMs = Date.now() - t0;
    ctx.progress({ step: "failover", message: `${newMaster} is the master, writable ${writableMs} ms after SENTINEL FAILOVER`, elapsedMs: writableMs });
    // Every other node (old master included, when it answers) must end up replicating from the new one.
    const others = [oldMaster, ...replicas].filter((a) => a !== newMaster);
    for (const o of others) await req.access.admit(o, via);
    await waitFor(async () => {
      const m = await readReplicationNode(pool, newMaster);
      const rs = await Promise.all(others.map((o) => readReplicationNode(pool, o).catch(() => undefined)));
      const reachable = rs.filter((r) => r !== undefined);
      return reachable.every((r) => linked(r!, m)) ? true : undefined;
    }, { what: `replicas following ${newMaster}`, timeoutMs, intervalMs: 50, signal: ctx.signal });
    const view = await waitSentinelsAgree(pool, sentinels, req.name, newMaster, others.length + 1, ctx, timeoutMs);
    const findings = checkSentinels(view, req.name);
    const totalMs = Date.now() - t0;
    ctx.progress({ step: "verify", message: `every sentinel names ${newMaster}; ${others.length} node(s) replicate from it`, elapsedMs: totalMs });
    if (hasErrors(findings)) throw new VerificationFailedError(`The failover of ${req.name} to ${newMaster} did not verify: ${findings.find((f) => f.severity === "error")!.message}`, findings);
    return { applied: true, ...base, newMaster, writableMs, totalMs, findings };
  } finally {
    await pool.close();
  }
}
