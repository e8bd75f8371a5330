/**
 * cluster create: preflight (read-only refusals) -> plan (pure) -> apply -> verify.
 * Returns only when the cluster is verified: every node re-read, every check run.
 */
import { VerificationFailedError } from "../../errors.js";
import { NodePool, type ConnectionOptions } from "../../redis/connection.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { checkCluster } from "../../checks/cluster-checks.js";
import { hasErrors, type Finding } from "../../checks/finding.js";
import { readClusterView } from "../../topology/read-cluster-view.js";
import type { OpContext, ProgressSink } from "../progress.js";
import { applyCreate, restoreSettings, type ApplyTimings } from "./apply.js";
import { milestones } from "./milestones.js";
import { planCreate, type CreatePlan, type PlanNode } from "./plan.js";
import { assertNoDuplicateAddresses, assertReplicasCanAuth, preflight } from "./preflight.js";

export interface CreateClusterRequest {
  addresses: string[];
  /** Replicas per master. */
  replicas: number;
  masters?: number;
  connection?: ConnectionOptions;
  /** address -> zone label, for placement and checks. */
  zones?: Record<string, string>;
  dryRun?: boolean;
  /** Give up (and restore settings) after this long. @default 30000 */
  timeoutMs?: number;
}

export interface CreateClusterResult {
  applied: boolean;
  plan: CreatePlan;
  nodes: { address: string; id: string }[];
  timings: ApplyTimings & { preflightMs?: number; verifyMs?: number; totalMs: number; polls?: number };
  findings: Finding[];
}

export function planNodes(addresses: string[], zones: Record<string, string> = {}): PlanNode[] {
  return addresses.map((a) => ({ address: a, host: parseAddress(a).host, zone: zones[a] }));
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

export async function createCluster(req: CreateClusterRequest, ctx: OpContext): Promise<CreateClusterResult> {
  const t0 = Date.now();
  const addresses = req.addresses.map((a) => formatAddress(parseAddress(a)));
  assertNoDuplicateAddresses(addresses);
  const plan = planCreate(planNodes(addresses, req.zones), { replicas: req.replicas, masters: req.masters });
  if (req.dryRun) {
    return { applied: false, plan, nodes: [], timings: { totalMs: Date.now() - t0 }, findings: [] };
  }
  ctx = { ...ctx, progress: counted(ctx.progress, 10 + Object.keys(plan.replicaOf).length) };
  const pool = new NodePool(req.connection);
  try {
    const nodes = await preflight(pool, addresses);
    assertReplicasCanAuth(nodes, plan.replicaOf);
    const preflightMs = Date.now() - t0;
    ctx.progress({ step: "preflight", message: `${nodes.length} nodes reachable, cluster-enabled and empty`, elapsedMs: preflightMs });
    let outcome;
    try {
      outcome = await applyCreate(plan, nodes, pool, { ...ctx, progress: (e) => ctx.progress({ ...e, elapsedMs: (e.elapsedMs ?? 0) + preflightMs }) }, req.timeoutMs ?? 30_000);
    } finally {
      await restoreSettings(pool, nodes);
    }
    ctx.progress({ step: "restore", message: "build settings restored to their original values", elapsedMs: Date.now() - t0 });
    const tv = Date.now();
    const view = await readClusterView(addresses, { pool, zones: req.zones });
    const replicasPerMaster = Math.min(...plan.masters.map((m) => m.replicas.length));
    const findings = checkCluster(view, { replicasPerMaster, expectedNodes: addresses.length });
    const idOf = Object.fromEntries(nodes.map((n) => [n.address, n.id]));
    const still = milestones(view, plan, idOf);
    if (!still.done) {
      findings.push({ severity: "error", code: "build_regressed", message: "The cluster no longer matches the plan after the build settings were restored.", next: "Run cluster_check and compare with the plan." });
    }
    const verifyMs = Date.now() - tv;
    ctx.progress({ step: "verify", message: `${findings.filter((f) => f.severity === "error").length} error(s), ${findings.filter((f) => f.severity === "warning").length} warning(s)`, elapsedMs: Date.now() - t0 });
    if (hasErrors(findings)) {
      throw new VerificationFailedError(`The cluster was built but did not verify: ${findings.find((f) => f.severity === "error")!.message}`, findings);
    }
    const shift = (ms?: number) => (ms === undefined ? undefined : ms + preflightMs);
    return {
      applied: true,
      plan,
      nodes: nodes.map((n) => ({ address: n.address, id: n.id })),
      timings: {
        preflightMs,
        meshMs: shift(outcome.timings.meshMs),
        slotsMs: shift(outcome.timings.slotsMs),
        readyMs: shift(outcome.timings.readyMs),
        linksMs: shift(outcome.timings.linksMs),
        convergedMs: shift(outcome.timings.convergedMs),
        verifyMs,
        polls: outcome.polls,
        totalMs: Date.now() - t0,
      },
      findings,
    };
  } finally {
    await pool.close();
  }
}
