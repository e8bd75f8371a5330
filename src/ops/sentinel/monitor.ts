/**
 * sentinel monitor: make sentinels watch a master (SENTINEL MONITOR, then SET for the
 * timing and auth settings), wait until they have found each other and the replicas,
 * and verify with the sentinel checks (CKQUORUM included). Reads everything first:
 * an unreachable sentinel, a non-sentinel address, a wrong password or a quorum that
 * cannot be reached changes nothing.
 */
import { ValidationError, VerificationFailedError } from "../../errors.js";
import { checkSentinels, majorityOf } from "../../checks/sentinel-checks.js";
import { hasErrors, type Finding } from "../../checks/finding.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { NodePool } from "../../redis/connection.js";
import type { NodeAccess } from "../../redis/node-access.js";
import { readReplicationNode } from "../../topology/replication-view.js";
import { readSentinelNode, readSentinelView, type SentinelView } from "../../topology/sentinel-view.js";
import type { OpContext } from "../progress.js";
import { waitFor } from "../wait.js";
import { MONITOR_DEFAULTS, planMonitor, setArgs, type MonitorPlan, type MonitorSettings } from "./plan.js";
import { toolRef } from "../../registry/words.js";

export interface MonitorRequest extends Omit<MonitorSettings, "quorum" | "downAfterMs" | "failoverTimeoutMs" | "parallelSyncs" | "auth"> {
  sentinels: string[];
  /** Left out: what a sentinel already monitoring the name uses, else a majority of the sentinels. */
  quorum?: number;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  parallelSyncs?: number;
  /** Per-node credentials and policy (the sentinels named; the master is admitted as the sentinels' peer or named too). */
  access: NodeAccess;
  zones?: Record<string, string>;
  dryRun?: boolean;
  /** Wait this long for the sentinels to find each other and the replicas. @default 20000 */
  timeoutMs?: number;
}

export interface MonitorResult {
  applied: boolean;
  plan: MonitorPlan;
  /** ms until every sentinel saw all the others and the replicas, CKQUORUM passing. */
  convergedMs?: number;
  findings: Finding[];
  view?: SentinelView;
}

/** Sentinels see each other and every replica the master lists, and CKQUORUM passes everywhere. */
export function converged(view: SentinelView, name: string, replicas: number): boolean {
  const n = view.sentinels.length;
  return (
    view.unreachable.length === 0 &&
    view.sentinels.every((s) => {
      const m = s.masters[name];
      return m && m.master.numOtherSentinels >= n - 1 && m.master.numReplicas >= replicas && m.ckquorum.ok && !m.master.flags.some((f) => f.includes("down"));
    })
  );
}

export async function monitorMaster(req: MonitorRequest, ctx: OpContext): Promise<MonitorResult> {
  const pool = new NodePool(req.access);
  try {
    const sentinelAddresses = req.sentinels.map((s) => formatAddress(parseAddress(s)));
    const sentinels = await Promise.all(sentinelAddresses.map((a) => readSentinelNode(pool, a, undefined, req.zones?.[a])));
    const master = await readReplicationNode(pool, formatAddress(parseAddress(req.master)), req.zones?.[req.master]);
    if (master.replication.role !== "master") {
      throw new ValidationError(`${master.address} is a replica of ${master.replication.masterHost}:${master.replication.masterPort}, not a master.`, `Monitor its master instead.`);
    }
    // Every sentinel gets the master's credentials as auth-pass: refused here (dry run too) when a sentinel has another owner.
    const auth = sentinelAddresses.map((s) => req.access.forward(master.address, s, "as the sentinels' auth-pass"))[0] ?? req.access.connection(master.address);
    // Re-running monitor on a name already watched changes only what it is given: the rest stays as the sentinels have it.
    const current = sentinels.map((s) => s.masters[req.name]?.master).find((m) => m !== undefined);
    const settings: MonitorSettings = {
      name: req.name,
      master: master.address,
      quorum: req.quorum ?? current?.quorum ?? majorityOf(sentinels.length),
      downAfterMs: req.downAfterMs ?? current?.downAfterMs ?? MONITOR_DEFAULTS.downAfterMs,
      failoverTimeoutMs: req.failoverTimeoutMs ?? current?.failoverTimeoutMs ?? MONITOR_DEFAULTS.failoverTimeoutMs,
      parallelSyncs: req.parallelSyncs ?? current?.parallelSyncs ?? MONITOR_DEFAULTS.parallelSyncs,
      ...(auth.password !== undefined ? { auth: { ...(auth.username ? { username: auth.username } : {}) } } : {}),
    };
    const plan = planMonitor(settings, sentinels);
    if (req.dryRun) return { applied: false, plan, findings: [] };
    const t0 = Date.now();
    const { host, port } = parseAddress(master.address);
    for (const s of plan.sentinels) {
      const client = await pool.get(s.address);
      if (s.action === "monitor") await client.call("SENTINEL", "MONITOR", settings.name, host, String(port), String(settings.quorum));
      const authArgs = auth.password !== undefined ? ["auth-pass", auth.password, ...(auth.username ? ["auth-user", auth.username] : [])] : [];
      await client.call("SENTINEL", "SET", settings.name, ...setArgs(settings), ...authArgs);
      ctx.progress({ step: "monitor", message: `${s.address} ${s.action === "monitor" ? "monitors" : "updated"} ${settings.name} at ${master.address} (quorum ${settings.quorum})`, elapsedMs: Date.now() - t0 });
    }
    const replicas = master.replication.connectedReplicas.filter((r) => r.state === "online").length;
    const read = () => readSentinelView(sentinelAddresses, { pool, name: settings.name, zones: req.zones, discover: false });
    await waitFor(async () => (converged(await read(), settings.name, replicas) ? true : undefined), {
      what: `sentinels of ${settings.name} finding each other and ${replicas} replica(s)`,
      timeoutMs: req.timeoutMs ?? 20_000,
      intervalMs: 100,
      signal: ctx.signal,
      cancelled: `Cancelled while the sentinels discovered each other; they monitor the master already. Check with ${toolRef("sentinel_check")}.`,
    });
    const convergedMs = Date.now() - t0;
    ctx.progress({ step: "verify", message: `${plan.sentinels.length} sentinels agree on ${settings.name}, CKQUORUM OK`, elapsedMs: convergedMs });
    const view = await read();
    const findings = checkSentinels(view, settings.name, { ip: master.ip, zone: master.zone });
    if (hasErrors(findings)) throw new VerificationFailedError(`The sentinels monitor ${settings.name} but did not verify: ${findings.find((f) => f.severity === "error")!.message}`, findings);
    return { applied: true, plan, convergedMs, findings, view };
  } finally {
    await pool.close();
  }
}
