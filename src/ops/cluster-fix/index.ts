/**
 * cluster fix: plan every repair kind (read-only; the dry run and the confirmation show
 * each fix), apply them in order, then re-read the cluster until the slots are stable
 * and run every check. Refuses, changing nothing, while a node it would need to read is
 * unreachable and not yet marked failed by the cluster (its keys and claims are unknown).
 */
import { checkCluster } from "../../checks/cluster-checks.js";
import { clusterMembers } from "../../topology/members.js";
import type { Finding } from "../../checks/finding.js";
import { PilotError, quoted, ValidationError, VerificationFailedError } from "../../errors.js";
import { againRef } from "../../registry/words.js";
import { NodePool } from "../../redis/connection.js";
import { readClusterView } from "../../topology/read-cluster-view.js";
import type { ClusterView } from "../../topology/types.js";
import type { OpContext } from "../progress.js";
import { stabilityFindings, type ClusterTarget } from "../migrate/session.js";
import type { FixContext, FixKind, PlannedFix } from "./kind.js";
import { fixKinds } from "./kinds/index.js";

export interface FixRequest extends ClusterTarget {
  journalDir: string;
  /** Only these kinds (default: all). */
  kinds?: string[];
  replace?: boolean;
  dryRun?: boolean;
  /** @default 15000 */
  verifyTimeoutMs?: number;
  /** Per node: connect and command timeout (default: the target's, else 2000 / 5000 ms). */
  timeoutMs?: number;
}

export interface FixResult {
  applied: boolean;
  fixes: Omit<PlannedFix, "data">[];
  findings: Finding[];
  timings: { planMs: number; applyMs: number; verifyMs: number; totalMs: number };
}

const SLOT_CODES = new Set(["open_slot", "slots_uncovered", "slot_map_disagreement"]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Unreachable nodes the cluster has not marked failed: we cannot know what they hold. */
function unknownNodes(view: ClusterView): string[] {
  const members = clusterMembers(view);
  return view.unreachable
    .filter((u) => {
      const m = [...members.values()].find((x) => x.address === u.address);
      return !m || (m.flaggedBy.fail?.length ?? 0) === 0;
    })
    .map((u) => u.address);
}

function selectKinds(names?: string[]): readonly FixKind[] {
  if (!names?.length) return fixKinds;
  const unknown = names.filter((n) => !fixKinds.some((k) => k.name === n));
  if (unknown.length) throw new ValidationError(`Unknown repair kind ${unknown.map((k) => quoted(k)).join(", ")}.`, `Use any of ${fixKinds.map((k) => k.name).join(", ")}.`);
  return fixKinds.filter((k) => names.includes(k.name));
}

export async function fixCluster(req: FixRequest, ctx: OpContext): Promise<FixResult> {
  const t0 = Date.now();
  const kinds = selectKinds(req.kinds);
  const pool = new NodePool(req.access, { connectTimeoutMs: req.timeoutMs, commandTimeoutMs: req.timeoutMs });
  try {
    const view = await readClusterView(req.addresses, { pool, zones: req.zones });
    const unknown = unknownNodes(view);
    if (unknown.length) {
      throw new PilotError("node_unreachable", `Cannot fix the cluster while ${unknown.join(", ")} cannot be read and is not marked failed: what it holds is unknown.`, `Bring it back (or wait until the cluster marks it failed, after cluster-node-timeout), then ${againRef("cluster_fix")}.`);
    }
    const fctx: FixContext = { pool, access: req.access, addresses: req.addresses, zones: req.zones, view, journalDir: req.journalDir, replace: req.replace, progress: ctx.progress, signal: ctx.signal };
    const planned: { kind: FixKind; fixes: PlannedFix[] }[] = [];
    for (const kind of kinds) planned.push({ kind, fixes: await kind.plan(fctx) });
    const fixes = planned.flatMap((p) => p.fixes.map(({ data: _data, ...shown }) => shown));
    const planMs = Date.now() - t0;
    ctx.progress({ step: "plan", message: `${fixes.length} fix(es) planned`, elapsedMs: planMs });
    if (req.dryRun || fixes.length === 0) {
      const findings = req.dryRun ? [] : checkCluster(view);
      return { applied: !req.dryRun, fixes, findings, timings: { planMs, applyMs: 0, verifyMs: 0, totalMs: Date.now() - t0 } };
    }
    const ta = Date.now();
    for (const p of planned) if (p.fixes.length) await p.kind.apply(fctx, p.fixes);
    const applyMs = Date.now() - ta;
    const tv = Date.now();
    const deadline = tv + (req.verifyTimeoutMs ?? 15_000);
    let after = await readClusterView(req.addresses, { pool, zones: req.zones });
    // cluster_state lags the slot map (nodes re-judge each other after the settings change): wait for both, bounded.
    while (stabilityFindings(after).some((f) => SLOT_CODES.has(f.code) || f.code === "cluster_state_fail") && Date.now() < deadline) {
      await sleep(50);
      after = await readClusterView(req.addresses, { pool, zones: req.zones });
    }
    const findings = checkCluster(after);
    const left = findings.filter((f) => SLOT_CODES.has(f.code));
    if (left.length) throw new VerificationFailedError(`The fixes were applied but slots are still not settled: ${left[0].message}`, findings);
    return { applied: true, fixes, findings, timings: { planMs, applyMs, verifyMs: Date.now() - tv, totalMs: Date.now() - t0 } };
  } finally {
    await pool.close();
  }
}

export { fixKinds };
