/**
 * Saved plans (--plan-out FILE writes one, --plan FILE applies one). A plan read back is
 * validated before use: a hand-edited or truncated file is refused with the field that
 * is wrong, never half-applied.
 */
import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import { ValidationError, errorMessage } from "../../errors.js";
import { describeIssues } from "../../registry/input-issue.js";
import type { MigrationPlan } from "./plan.js";
import { argRef } from "../../registry/words.js";

const range = z.object({ start: z.number().int().min(0).max(16383), end: z.number().int().min(0).max(16383) }).refine((r) => r.end >= r.start, "end before start");
const id = z.string().regex(/^[0-9a-f]{40}$/, "a 40-character node id");

export const planSchema = z.object({
  version: z.literal(1),
  kind: z.literal("migration"),
  id: z.string().min(1),
  createdAt: z.string(),
  purpose: z.enum(["reshard", "rebalance", "drain"]),
  request: z.record(z.string(), z.unknown()),
  masters: z.array(z.object({ id, address: z.string(), slots: z.array(range) })),
  moves: z.array(z.object({ from: id, to: id, slots: z.array(range).min(1), keys: z.number().int().min(0).optional() })),
  path: z.enum(["keys", "atomic-valkey", "atomic-redis"]),
  pathReason: z.string(),
  warnings: z.array(z.string()),
});

export async function readPlanFile(path: string, tool = "cluster_reshard"): Promise<MigrationPlan> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ValidationError(`Cannot read the plan file ${path}: ${errorMessage(err)}.`, `Check the path; save a plan with ${argRef("dryRun", "true", tool)} ${argRef("planOut", "FILE", tool)}.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ValidationError(`The plan file ${path} is not JSON.`, `Save a plan with ${argRef("dryRun", "true", tool)} ${argRef("planOut", "FILE", tool)} and pass that file.`);
  }
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(`The plan file ${path} is not a valid plan: ${describeIssues(parsed.error.issues, raw).sentence}.`, `Save a fresh plan with ${argRef("dryRun", "true", tool)} ${argRef("planOut", "FILE", tool)}.`);
  return parsed.data as MigrationPlan;
}

export async function writePlanFile(path: string, plan: MigrationPlan): Promise<void> {
  await writeFile(path, JSON.stringify(plan, null, 2) + "\n", { mode: 0o600 });
}
