/**
 * The migration verbs as requests to runMigration: reshard (N slots or named ranges from
 * some masters, or all, to one), rebalance (weighted shares by slots, keys or memory) and
 * drain (every slot of one master spread over the others). Each validates its arguments
 * against the cluster before anything is touched, with the same pure planner it plans with.
 */
import type { OpContext } from "../progress.js";
import type { EngineOptions } from "./engine.js";
import { bytesPerSlot, keysPerSlot } from "./loads.js";
import type { MigrationPlan } from "./plan.js";
import { planDrain, type DrainRequest } from "./plan-drain.js";
import { planRebalance, type RebalanceRequest } from "./plan-rebalance.js";
import { planReshard, type ReshardRequest } from "./plan-reshard.js";
import { runMigration, type MigrationResult } from "./run-migration.js";
import type { ClusterTarget } from "./session.js";

export interface CommonMigration extends ClusterTarget {
  journalDir: string;
  dryRun?: boolean;
  savedPlan?: MigrationPlan;
  engine?: EngineOptions;
  path?: "auto" | "keys" | "atomic";
  verifyTimeoutMs?: number;
}

export function reshard(req: CommonMigration & ReshardRequest, ctx: OpContext): Promise<MigrationResult> {
  const ask: ReshardRequest = { from: req.from, to: req.to, slots: req.slots };
  return runMigration(
    {
      ...req,
      purpose: "reshard",
      request: { ...ask },
      validate: (snap) => void planReshard(snap.map, ask),
      plan: async (snap) => ({ moves: planReshard(snap.map, ask) }),
    },
    ctx,
  );
}

export function rebalance(req: CommonMigration & RebalanceRequest, ctx: OpContext): Promise<MigrationResult> {
  const ask: RebalanceRequest = { weights: req.weights, threshold: req.threshold, useEmptyMasters: req.useEmptyMasters, mode: req.mode ?? "slots" };
  return runMigration(
    {
      ...req,
      purpose: "rebalance",
      request: { ...ask },
      validate: (snap) => void planRebalance(snap.map, { ...ask, mode: "slots" }),
      plan: async (snap, pool) => {
        const load = ask.mode === "keys" ? await keysPerSlot(pool, snap.map, undefined, { tool: "cluster_rebalance" }) : ask.mode === "memory" ? await bytesPerSlot(pool, snap.map) : undefined;
        const out = planRebalance(snap.map, ask, load);
        return { moves: out.moves, extra: { shares: out.shares, balanced: out.balanced, mode: ask.mode } };
      },
    },
    ctx,
  );
}

export function drain(req: CommonMigration & DrainRequest, ctx: OpContext): Promise<MigrationResult> {
  const ask: DrainRequest = { node: req.node, weights: req.weights };
  return runMigration(
    {
      ...req,
      purpose: "drain",
      request: { ...ask },
      validate: (snap) => void planDrain(snap.map, ask),
      plan: async (snap) => ({ moves: planDrain(snap.map, ask) }),
    },
    ctx,
  );
}
