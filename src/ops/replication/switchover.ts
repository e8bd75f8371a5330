/**
 * Planned switchover: move the master role to a replica losing no acknowledged write.
 * CLIENT PAUSE WRITE on the old master, wait until the replica's own offset reaches the
 * master's, REPLICAOF NO ONE on it, demote the old master, unpause: paused clients get
 * READONLY and reconnect (reconnectOnError). Redis's FAILOVER command does the same
 * coordination but steps through it in serverCron (100 ms ticks at hz 10) and waits for
 * the replica's ACK, which measured ~300 ms here; these steps take a few ms. Where
 * sentinels watch the master, every sentinel forgets it for the switch and monitors the
 * new master with the same settings right after the promotion (a sentinel would
 * otherwise turn the new master back into a replica). Verified: every node follows the
 * new master and every sentinel agrees.
 */
import { hostname } from "node:os";
import { ValidationError, VerificationFailedError } from "../../errors.js";
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
import { follows, linked, type PlanStep } from "./plan.js";
import { removeSwitchoverJournal, writeSwitchoverJournal, type SwitchoverJournal } from "./switchover-journal.js";
import { persistRoles, persistSteps, persistWarnings, roleChange, type RoleChange } from "./persist.js";
import { toolRef } from "../../registry/words.js";

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
  /** Writes stay paused at most this long (CLIENT PAUSE's own timeout). @default 5000 */
  timeoutMs?: number;
  /** Where to journal the switchover while it runs (switchover-journal.ts); none when absent. */
  journalDir?: string;
}

export interface SwitchoverPlan {
  kind: "replication-switchover";
  version: 1;
  from: string;
  to: string;
  others: string[];
  sentinels: string[];
  steps: PlanStep[];
  warnings: string[];
}

export interface SwitchoverResult {
  applied: boolean;
  plan: SwitchoverPlan;
  /** ms from writes paused on the old master until the new master accepted writes. */
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

/** What each config file must say afterwards: the new master, the old one and the others as its replicas. */
const switchoverChanges = (master: ReplicationNode, target: ReplicationNode, others: ReplicationNode[]): RoleChange[] => [
  roleChange(target, "master"),
  ...[master, ...others].map((n) => roleChange(n, `replica of ${target.address}`)),
];

export function planSwitchover(master: ReplicationNode, target: ReplicationNode, others: ReplicationNode[], sentinels: string[]): SwitchoverPlan {
  if (master.replication.role !== "master") throw new ValidationError(`${master.address} is not a master (it replicates from ${master.replication.masterHost}:${master.replication.masterPort}).`, "Name the current master.");
  if (target.runId === master.runId) throw new ValidationError(`${target.address} is already the master.`, "Name one of its replicas.");
  if (!follows(target, master)) throw new ValidationError(`${target.address} is not a replica of ${master.address}.`, `Attach it first (${toolRef("replication_attach")}), or name one of ${master.address}'s replicas.`);
  if (target.replication.masterLinkStatus !== "up") throw new ValidationError(`${target.address}'s link to ${master.address} is down: it cannot catch up, so a switchover would lose writes.`, `Fix the link first (${toolRef("replication_check")}).`);
  if (!versionAtLeast(master.redisVersion, 6, 2)) throw new ValidationError(`${master.address} runs Redis ${master.redisVersion}; a switchover needs CLIENT PAUSE WRITE (6.2+).`, `Upgrade, or use ${toolRef("sentinel_failover")} where sentinels watch it.`);
  const { host, port } = parseAddress(target.address);
  const steps: PlanStep[] = [
    ...sentinels.map((s) => ({ kind: "sentinel-remove" as const, node: s, description: `SENTINEL REMOVE on ${s} (so it does not undo the switch)` })),
    { kind: "failover", node: master.address, description: `CLIENT PAUSE WRITE on ${master.address}, wait until ${target.address} has its offset, REPLICAOF NO ONE on ${target.address}` },
    ...sentinels.map((s) => ({ kind: "sentinel-monitor" as const, node: s, description: `SENTINEL MONITOR the master at ${target.address} on ${s}, same settings` })),
    { kind: "replicaof", node: master.address, description: `REPLICAOF ${host} ${port} on ${master.address}, then CLIENT UNPAUSE (paused writers get READONLY and reconnect)` },
    ...others.map((o) => ({ kind: "replicaof" as const, node: o.address, description: `REPLICAOF ${host} ${port} on ${o.address}` })),
    ...persistSteps(switchoverChanges(master, target, others)),
  ];
  return { kind: "replication-switchover", version: 1, from: master.address, to: target.address, others: others.map((o) => o.address), sentinels, steps, warnings: persistWarnings(switchoverChanges(master, target, others)) };
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
      if (!target) throw new ValidationError(`${master.address} has no online replica with a non-zero replica-priority to switch over to.`, `Attach a replica first (${toolRef("replication_attach")}).`);
    }
    const others = replicas.filter((r) => r.runId !== target!.runId);
    const watch = req.sentinels;
    const sentinelAddresses = watch ? watch.addresses.map((a) => formatAddress(parseAddress(a))) : [];
    const plan = planSwitchover(master, target, others, sentinelAddresses);
    // The sentinels will get the old and the new master's credentials as auth-pass: refused here, not half-way.
    for (const s of sentinelAddresses) for (const m of [master.address, target.address]) req.access.forward(m, s, "as the sentinels' auth-pass");
    // Read the sentinels' settings before changing anything: a sentinel that does not know the name refuses here.
    const settings = watch ? await sentinelSettings(pool, sentinelAddresses, watch.name, master.address) : undefined;
    if (req.dryRun) return { applied: false, plan, findings: [] };

    // Before anything changes: what a SIGKILL from here on would leave half-done (replication_check reads it).
    const journal: SwitchoverJournal = {
      op: "replication_switchover", startedAt: new Date().toISOString(), pid: process.pid, host: hostname(), from: master.address, to: target.address, others: others.map((o) => o.address), step: "started",
      ...(settings && watch ? { sentinels: { addresses: sentinelAddresses, name: watch.name, quorum: settings.quorum, downAfterMs: settings.downAfterMs, failoverTimeoutMs: settings.failoverTimeoutMs, parallelSyncs: settings.parallelSyncs } } : {}),
    };
    const journalPath = req.journalDir ? await writeSwitchoverJournal(req.journalDir, journal) : undefined;
    const t0 = Date.now();
    const step = (kind: string, message: string) => ctx.progress({ step: kind, message, elapsedMs: Date.now() - t0 });
    // The sentinels forget the name for the moment of the switch (else they would undo it), all at once.
    await Promise.all(sentinelAddresses.map(async (s) => (await pool.get(s)).call("SENTINEL", "REMOVE", watch!.name)));
    if (sentinelAddresses.length) step("sentinel", `${sentinelAddresses.length} sentinels stopped monitoring ${watch!.name} for the switch`);
    const { host, port } = parseAddress(target.address);
    const timeoutMs = req.timeoutMs ?? 5000;
    const old = await pool.get(master.address);
    const sent = Date.now();
    // 1. Pause writes on the old master (bounded: the pause ends by itself after timeoutMs, even if we die here).
    await old.call("CLIENT", "PAUSE", String(timeoutMs), "WRITE");
    let promoted = false;
    try {
      // 2. The replica knows its own offset at once (no waiting for its once-a-second ACK): wait until it has everything.
      const masterOffset = (await readReplicationNode(pool, master.address)).replication.offset;
      await waitFor(async () => {
        const r = await readReplicationNode(pool, target!.address);
        return r.replication.offset >= masterOffset ? true : undefined;
      }, { what: `${target.address} reaching offset ${masterOffset}`, timeoutMs, intervalMs: 1, signal: ctx.signal });
      // 3. Promote it: writable from this reply on.
      await (await pool.get(target.address)).call("REPLICAOF", "NO", "ONE");
      promoted = true;
    } finally {
      // Not promoted (timeout, cancel, error): unpause, and the sentinels watch the old master again; then nothing is left to journal.
      if (!promoted) {
        await old.call("CLIENT", "UNPAUSE").catch(() => undefined);
        if (settings) await remonitor(pool, sentinelAddresses, { ...settings, master: master.address }, req.access);
        if (journalPath) await removeSwitchoverJournal(journalPath);
      }
    }
    if (req.journalDir) await writeSwitchoverJournal(req.journalDir, { ...journal, step: "promoted" });
    const writableMs = Date.now() - sent;
    step("promote", `${target.address} is the master, writable ${writableMs} ms after writes paused on ${master.address}`);
    // 4. Sentinels learn the new master before clients ask: the demoted master answers READONLY next.
    if (settings) {
      await remonitor(pool, sentinelAddresses, { ...settings, master: target.address }, req.access);
      step("sentinel", `${sentinelAddresses.length} sentinels monitor ${watch!.name} at ${target.address}`);
    }
    // 5. Demote the old master (it resyncs partially: the new master's replid2 is its history), then let paused clients go:
    // their writes get READONLY, and clients with reconnectOnError follow the sentinels to the new master.
    await old.call("REPLICAOF", host, String(port));
    await old.call("CLIENT", "UNPAUSE");
    step("demote", `${master.address} replicates from ${target.address}; writes unpaused`);
    for (const o of others) {
      await (await pool.get(o.address)).call("REPLICAOF", host, String(port));
      step("replicaof", `${o.address} now replicates from ${target.address}`);
    }
    // Verify: every node follows the new master with its link up; every sentinel agrees.
    const all = [target.address, master.address, ...others.map((o) => o.address)];
    await waitFor(async () => {
      const [m, ...rs] = await readNamed(pool, all);
      return m.replication.role === "master" && rs.every((r) => linked(r, m)) ? true : undefined;
    }, { what: `every replica following ${target.address}`, timeoutMs: 15_000, intervalMs: 20, signal: ctx.signal });
    const persistFindings = await persistRoles(pool, switchoverChanges(master, target, others));
    step("persist", `roles written to the config files (CONFIG REWRITE)${persistFindings.length ? `, except on ${persistFindings.map((f) => f.node).join(", ")}` : ""}`);
    const findings = [...checkReplication(await readReplicationView(all, { pool, zones: req.zones, discover: false })), ...persistFindings];
    if (watch) {
      // Nodes: the new master, the demoted old one, the other replicas.
      const sv = await waitSentinelsAgree(pool, sentinelAddresses, watch.name, target.address, others.length + 2, ctx);
      findings.push(...checkSentinels(sv, watch.name, { ip: target.ip, zone: target.zone }));
    }
    step("verify", `${findings.filter((f) => f.severity === "error").length} error(s)`);
    // Every node follows the new master: nothing half-done is left, whatever the checks say about it.
    if (journalPath) await removeSwitchoverJournal(journalPath);
    if (hasErrors(findings)) throw new VerificationFailedError(`The switchover to ${target.address} did not verify: ${findings.find((f) => f.severity === "error")!.message}`, findings);
    return { applied: true, plan, writableMs, totalMs: Date.now() - t0, findings };
  } finally {
    await pool.close();
  }
}

export { readSentinelNode };
