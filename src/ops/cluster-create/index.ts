/**
 * cluster create: preflight (read-only refusals) -> plan (pure) -> apply -> restore -> verify.
 * A dry run stops after the plan, so it refuses exactly what the real run refuses.
 * Returns only when the cluster is verified: every node re-read, every check run, and
 * the tuned settings re-read and back at their original values.
 */
import { PilotError, VerificationFailedError, errorMessage } from "../../errors.js";
import { NodePool } from "../../redis/connection.js";
import type { NodeAccess } from "../../redis/node-access.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { checkCluster } from "../../checks/cluster-checks.js";
import { listNames } from "../../checks/names.js";
import { hasErrors, type Finding } from "../../checks/finding.js";
import { readClusterView } from "../../topology/read-cluster-view.js";
import type { OpContext, ProgressSink } from "../progress.js";
import { applyCreate, type ApplyOutcome, type ApplyTimings } from "./apply.js";
import { milestones } from "./milestones.js";
import { layout, planCreate, type CreatePlan, type PlanNode } from "./plan.js";
import { assertNoDuplicateAddresses, assertReplicasCanAuth, preflight, type PreflightNode } from "./preflight.js";
import { readSettings, restoreSettings, unrestoredSettings } from "./settings.js";
import { newJournal, removeJournal, writeJournal } from "./settings-journal.js";
import { toolRef } from "../../registry/words.js";

export interface CreateClusterRequest {
  addresses: string[];
  /** Replicas per master. */
  replicas: number;
  masters?: number;
  /** Per-node credentials and policy, from ctx.targets.resolve() (mutating: every node must be mutable). */
  access: NodeAccess;
  /** address -> zone label, for placement and checks. */
  zones?: Record<string, string>;
  /** Run the read-only preflight and plan; change nothing. */
  dryRun?: boolean;
  /** Give up (and restore settings) after this long. @default 30000 */
  timeoutMs?: number;
  /**
   * Where to journal the original settings before lowering them (settings-journal.ts), so
   * that a build killed outright can be repaired; no journal when undefined.
   */
  journalDir?: string;
}

export interface CreateClusterResult {
  applied: boolean;
  plan: CreatePlan;
  /** Every node with its id (read by preflight, also in a dry run). */
  nodes: { address: string; id: string }[];
  timings: ApplyTimings & { preflightMs?: number; verifyMs?: number; totalMs: number; polls?: number };
  findings: Finding[];
}

/** Plan input: each node placed by the IP its address reached, so one host written two ways is one host. */
export function planNodes(nodes: { address: string; ip?: string }[], zones: Record<string, string> = {}): PlanNode[] {
  return nodes.map((n) => ({ address: n.address, host: n.ip ?? parseAddress(n.address).host, zone: zones[n.address] }));
}

export { planCreate, formatPlan } from "./plan.js";
export type { CreatePlan } from "./plan.js";

/**
 * Numbers the build's events for progress bars: preflight, addslots, meet, one per
 * replica, five milestones (mesh, slots, ready, links, converged), restore, verify.
 */
function counted(sink: ProgressSink, total: number): ProgressSink {
  let n = 0;
  return (e) => sink({ ...e, progress: Math.min(++n, total), total });
}

/** Restores the tuned settings on every node and proves it by re-reading them. */
async function restoreAndReread(pool: NodePool, nodes: PreflightNode[], ctx: OpContext, t0: number): Promise<Finding[]> {
  const failures = await restoreSettings(pool, nodes);
  ctx.progress({
    step: "restore",
    message: failures.length
      ? `could not restore the build settings on ${listNames(failures.map((f) => f.address))}: ${failures[0].error}`
      : "build settings restored to their original values",
    elapsedMs: Date.now() - t0,
  });
  return unrestoredSettings(nodes, await readSettings(pool, nodes), failures);
}

/** Errors that clear by themselves within a gossip round once the build's short node timeout is gone. */
const TRANSIENT = new Set(["node_pfail"]);

/** Journals every node's original settings before the build lowers them; refuses, changing nothing, when it cannot. */
async function journalOriginals(dir: string, nodes: PreflightNode[]): Promise<string> {
  try {
    return await writeJournal(dir, newJournal(nodes.map((n) => ({ address: n.address, id: n.id, settings: n.settings }))));
  } catch (err) {
    throw new PilotError("journal_failed", `Cannot write the build-settings journal in ${dir} (${errorMessage(err)}); nothing was changed.`, "Make that directory writable (or set REDIS_PILOT_HOME to one that is), then retry.");
  }
}

export async function createCluster(req: CreateClusterRequest, ctx: OpContext): Promise<CreateClusterResult> {
  const t0 = Date.now();
  const addresses = req.addresses.map((a) => formatAddress(parseAddress(a)));
  assertNoDuplicateAddresses(addresses);
  // Counts are refused before any I/O; placement waits for the IPs preflight reads.
  layout(addresses.length, { replicas: req.replicas, masters: req.masters });
  const pool = new NodePool(req.access);
  try {
    const nodes = await preflight(pool, addresses);
    const plan = planCreate(planNodes(nodes, req.zones), { replicas: req.replicas, masters: req.masters });
    assertReplicasCanAuth(nodes, plan.replicaOf);
    const preflightMs = Date.now() - t0;
    const ids = nodes.map((n) => ({ address: n.address, id: n.id }));
    const passed = { step: "preflight", message: `${nodes.length} nodes reachable, cluster-enabled and empty`, elapsedMs: preflightMs };
    if (req.dryRun) {
      ctx.progress(passed);
      return { applied: false, plan, nodes: ids, timings: { preflightMs, totalMs: Date.now() - t0 }, findings: [] };
    }
    ctx = { ...ctx, progress: counted(ctx.progress, 10 + Object.keys(plan.replicaOf).length) };
    ctx.progress(passed);
    const journal = req.journalDir ? await journalOriginals(req.journalDir, nodes) : undefined;
    let outcome: ApplyOutcome | undefined;
    let failure: { err: unknown } | undefined;
    try {
      outcome = await applyCreate(plan, nodes, pool, { ...ctx, progress: (e) => ctx.progress({ ...e, elapsedMs: (e.elapsedMs ?? 0) + preflightMs }) }, req.timeoutMs ?? 30_000);
    } catch (err) {
      failure = { err };
    }
    // Restore whatever happened: a failed or cancelled build must not leave a 500 ms node timeout behind.
    const settingFindings = await restoreAndReread(pool, nodes, ctx, t0);
    // Restored and re-read: the journal has done its job. Left in place when a node kept a build value, for cluster fix.
    if (journal && !settingFindings.some((f) => f.severity === "error")) await removeJournal(journal);
    if (failure) {
      const first = settingFindings.find((f) => f.severity === "error");
      if (!first) throw failure.err;
      throw new PilotError("settings_not_restored", `${errorMessage(failure.err)} Restoring the build settings failed too: ${first.message}`, `${first.next} Then run ${toolRef("cluster_check")}.`, settingFindings);
    }
    const tv = Date.now();
    const replicasPerMaster = Math.min(...plan.masters.map((m) => m.replicas.length));
    const idOf = Object.fromEntries(ids.map((n) => [n.address, n.id]));
    const verify = async (): Promise<Finding[]> => {
      const view = await readClusterView(addresses, { pool, zones: req.zones });
      const found = [...settingFindings, ...checkCluster(view, { replicasPerMaster, expectedNodes: addresses.length })];
      if (!milestones(view, plan, idOf).done) {
        found.push({ severity: "error", code: "build_regressed", message: "The cluster no longer matches the plan after the build settings were restored.", next: `Run ${toolRef("cluster_check")} and compare with the plan.` });
      }
      return found;
    };
    let findings = await verify();
    // A node a peer suspected (fail?) while the build's 500 ms timeout was on, on a busy machine, is cleared by its next pong: read again briefly.
    while (findings.some((f) => f.severity === "error") && findings.every((f) => f.severity !== "error" || TRANSIENT.has(f.code)) && Date.now() - tv < 3000) {
      await new Promise((r) => setTimeout(r, 50));
      findings = await verify();
    }
    const verifyMs = Date.now() - tv;
    ctx.progress({ step: "verify", message: `${findings.filter((f) => f.severity === "error").length} error(s), ${findings.filter((f) => f.severity === "warning").length} warning(s)`, elapsedMs: Date.now() - t0 });
    if (hasErrors(findings)) {
      findings.sort((a, b) => Number(b.severity === "error") - Number(a.severity === "error"));
      throw new VerificationFailedError(`The cluster was built but did not verify: ${findings[0].message}`, findings);
    }
    const shift = (ms?: number) => (ms === undefined ? undefined : ms + preflightMs);
    const done = outcome as ApplyOutcome;
    return {
      applied: true,
      plan,
      nodes: ids,
      timings: {
        preflightMs,
        meshMs: shift(done.timings.meshMs),
        slotsMs: shift(done.timings.slotsMs),
        readyMs: shift(done.timings.readyMs),
        linksMs: shift(done.timings.linksMs),
        convergedMs: shift(done.timings.convergedMs),
        verifyMs,
        polls: done.polls,
        totalMs: Date.now() - t0,
      },
      findings,
    };
  } finally {
    await pool.close();
  }
}
