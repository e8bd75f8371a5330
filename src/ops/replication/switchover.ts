/**
 * Planned switchover: move the master role to a replica losing no acknowledged write.
 * Redis's own FAILOVER (6.2+) does the coordination: it pauses writes on the old master,
 * waits until the replica has its offset, promotes it with PSYNC FAILOVER and demotes
 * itself. Clients paused meanwhile get READONLY and reconnect (reconnectOnError). We then
 * repoint the other replicas and, where sentinels watch the master, re-monitor it at the
 * new address on every sentinel (a sentinel would otherwise turn the new master back into
 * a replica), and verify that every node and every sentinel agrees.
 */
import { PilotError, ValidationError, VerificationFailedError } from "../../errors.js";
import { checkReplication } from "../../checks/replication-checks.js";
import { checkSentinels } from "../../checks/sentinel-checks.js";
import { hasErrors, type Finding } from "../../checks/finding.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { NodePool } from "../../redis/connection.js";
import type { NodeAccess } from "../../redis/node-access.js";
import { readReplicationNode, readReplicationView, type ReplicationNode } from "../../topology/replication-view.js";
import { readSentinelNode } from "../../topology/sentinel-view.js";
import type { OpContext } from "../progress.js";
import { remonitor, sentinelSettings, waitSentinelsAgree, type SentinelWatch } from "../sentinel/remonitor.js";
import { waitFor } from "../wait.js";
import { readNamed } from "./attach.js";
import { follows, type PlanStep } from "./plan.js";

export interface SwitchoverRequest {
  /** The current master. */
  master: string;
  /** The replica to promote; default: the online replica with the highest offset (and non-zero priority). */
  to?: string;
  access: NodeAccess;
  /** Sentinels watching the master, and the name they know it by. */
  sentinels?: SentinelWatch;
  zones?: Record<string, string>;
  dryRun?: boolean;
  /** FAILOVER's own timeout (writes stay paused at most this long). @default 5000 */
  timeoutMs?: number;
}

export interface SwitchoverPlan {
  kind: "replication-switchover";
  version: 1;
  from: string;
  to: string;
  others: string[];
  sentinels: string[];
  steps: PlanStep[];
}

export interface SwitchoverResult {
  applied: boolean;
  plan: SwitchoverPlan;
  /** ms from FAILOVER sent until the new master answered role:master (writes accepted). */
  writableMs?: number;
  /** ms until replicas and sentinels agree on the new master. */
  totalMs?: number;
  findings: Finding[];
}

const versionAtLeast = (v: string, major: number, minor: number) => {
  const [a, b] = v.split(".").map(Number);
  return a > major || (a === major && b >= minor);
};

/** The replica a switchover should promote: online, in sync best, priority not 0. */
export function pickReplica(master: ReplicationNode, replicas: ReplicationNode[]): ReplicationNode | undefined {
  return replicas
    .filter((r) => follows(r, master) && r.replication.masterLinkStatus === "up" && r.settings.replicaPriority !== 0)
    .sort((a, b) => b.replication.offset - a.replication.offset || (a.settings.replicaPriority ?? 100) - (b.settings.replicaPriority ?? 100))[0];
}

export function planSwitchover(master: ReplicationNode, target: ReplicationNode, others: ReplicationNode[], sentinels: string[]): SwitchoverPlan {
  if (master.replication.role !== "master") throw new ValidationError(`${master.address} is not a master (it replicates from ${master.replication.masterHost}:${master.replication.masterPort}).`, "Name the current master.");
  if (target.runId === master.runId) throw new ValidationError(`${target.address} is already the master.`, "Name one of its replicas.");
  if (!follows(target, master)) throw new ValidationError(`${target.address} is not a replica of ${master.address}.`, `Attach it first (replication_attach), or name one of ${master.address}'s replicas.`);
  if (target.replication.masterLinkStatus !== "up") throw new ValidationError(`${target.address}'s link to ${master.address} is down: it cannot catch up, so a switchover would lose writes.`, "Fix the link first (replication_check).");
  if (!versionAtLeast(master.redisVersion, 6, 2)) throw new ValidationError(`${master.address} runs Redis ${master.redisVersion}; a switchover needs FAILOVER (6.2+).`, "Upgrade, or use sentinel_failover where sentinels watch it.");
  const { host, port } = parseAddress(target.address);
  const steps: PlanStep[] = [
    ...sentinels.map((s) => ({ kind: "sentinel-remove" as const, node: s, description: `SENTINEL REMOVE on ${s} (so it does not undo the switch)` })),
    { kind: "failover", node: master.address, description: `FAILOVER TO ${host} ${port} on ${master.address}: pause writes, wait until ${target.address} has the offset, promote it, demote ${master.address}` },
    ...others.map((o) => ({ kind: "replicaof" as const, node: o.address, description: `REPLICAOF ${host} ${port} on ${o.address}` })),
    ...sentinels.map((s) => ({ kind: "sentinel-monitor" as const, node: s, description: `SENTINEL MONITOR the master at ${target.address} on ${s}, same settings` })),
  ];
  return { kind: "replication-switchover", version: 1, from: master.address, to: target.address, others: others.map((o) => o.address), sentinels, steps };
}

export async function switchover(req: SwitchoverRequest, ctx: OpContext): Promise<SwitchoverResult> {
  const pool = new NodePool(req.access);
  try {
    const master = await readReplicationNode(pool, formatAddress(parseAddress(req.master)), req.zones?.[req.master]);
    // Its replicas are peers it reports: admitted (credentials, policy) before they are read.
    const replicaAddresses = await Promise.all(master.replication.connectedReplicas.map(async (l) => (await req.access.admit(l.address, master.address)).address));
    const replicas = await readNamed(pool, replicaAddresses, req.zones);
    let target: ReplicationNode | undefined;
    if (req.to) {
      const to = formatAddress(parseAddress(req.to));
      target = replicas.find((r) => r.address === to || `${r.ip}:${parseAddress(r.address).port}` === to) ?? (await readReplicationNode(pool, to));
    } else {
      target = pickReplica(master, replicas);
      if (!target) throw new ValidationError(`${master.address} has no online replica with a non-zero replica-priority to switch over to.`, "Attach a replica first (replication_attach).");
    }
    const others = replicas.filter((r) => r.runId !== target!.runId);
    const watch = req.sentinels;
    const sentinelAddresses = watch ? watch.addresses.map((a) => formatAddress(parseAddress(a))) : [];
    const plan = planSwitchover(master, target, others, sentinelAddresses);
    // Read the sentinels' settings before changing anything: a sentinel that does not know the name refuses here.
    const settings = watch ? await sentinelSettings(pool, sentinelAddresses, watch.name, master.address) : undefined;
    if (req.dryRun) return { applied: false, plan, findings: [] };

    const t0 = Date.now();
    const step = (kind: string, message: string) => ctx.progress({ step: kind, message, elapsedMs: Date.now() - t0 });
    for (const s of sentinelAddresses) {
      await (await pool.get(s)).call("SENTINEL", "REMOVE", watch!.name);
      step("sentinel", `${s} stopped monitoring ${watch!.name} for the switch`);
    }
    const { host, port } = parseAddress(target.address);
    const timeoutMs = req.timeoutMs ?? 5000;
    const sent = Date.now();
    try {
      await (await pool.get(master.address)).call("FAILOVER", "TO", host, String(port), "TIMEOUT", String(timeoutMs));
    } catch (err) {
      // Nothing switched: give the sentinels their master back before reporting.
      if (settings) await remonitor(pool, sentinelAddresses, { ...settings, master: master.address }, req.access);
      throw err;
    }
    const targetPool = target.address;
    await waitFor(async () => ((await readReplicationNode(pool, targetPool)).replication.role === "master" ? true : undefined), { what: `${target.address} promoted`, timeoutMs: timeoutMs + 2000, intervalMs: 1, signal: ctx.signal });
    const writableMs = Date.now() - sent;
    step("failover", `${target.address} is the master, writable ${writableMs} ms after FAILOVER`);
    // The old master finishes demoting itself; wait for it before repointing the rest to the new one.
    await waitFor(async () => {
      const old = await readReplicationNode(pool, master.address);
      if (old.failoverState === "no-failover" && old.replication.role === "master") throw new PilotError("switchover_aborted", `FAILOVER on ${master.address} was aborted (it is still the master).`, "Check its log; nothing else was changed. Retry with a larger timeout.");
      return old.replication.role === "replica" ? true : undefined;
    }, { what: `${master.address} demoted`, timeoutMs: timeoutMs + 2000, intervalMs: 2, signal: ctx.signal });
    for (const o of others) {
      await (await pool.get(o.address)).call("REPLICAOF", host, String(port));
      step("replicaof", `${o.address} now replicates from ${target.address}`);
    }
    if (settings) {
      await remonitor(pool, sentinelAddresses, { ...settings, master: target.address }, req.access);
      step("sentinel", `${sentinelAddresses.length} sentinels monitor ${watch!.name} at ${target.address}`);
    }
    // Verify: every node follows the new master with its link up; every sentinel agrees.
    const all = [target.address, master.address, ...others.map((o) => o.address)];
    await waitFor(async () => {
      const [m, ...rs] = await readNamed(pool, all);
      return m.replication.role === "master" && rs.every((r) => follows(r, m) && r.replication.masterLinkStatus === "up") ? true : undefined;
    }, { what: `every replica following ${target.address}`, timeoutMs: 15_000, intervalMs: 20, signal: ctx.signal });
    const findings = checkReplication(await readReplicationView(all, { pool, zones: req.zones, discover: false }));
    if (watch) {
      const sv = await waitSentinelsAgree(pool, sentinelAddresses, watch.name, target.address, others.length + 1, ctx);
      findings.push(...checkSentinels(sv, watch.name, { ip: target.ip, zone: target.zone }));
    }
    step("verify", `${findings.filter((f) => f.severity === "error").length} error(s)`);
    if (hasErrors(findings)) throw new VerificationFailedError(`The switchover to ${target.address} did not verify: ${findings.find((f) => f.severity === "error")!.message}`, findings);
    return { applied: true, plan, writableMs, totalMs: Date.now() - t0, findings };
  } finally {
    await pool.close();
  }
}

export { readSentinelNode };
