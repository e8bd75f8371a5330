/**
 * What the migration tools (reshard, rebalance, del-node --drain) share: their common
 * input fields, the output schema, the mapping from a MigrationResult and the summary.
 */
import { z } from "zod";
import { inputFileField, outputFileField } from "../../registry/files.js";
import { quoted, ValidationError } from "../../errors.js";
import { findingSchema } from "../../registry/fields.js";
import { countSlots, formatRanges } from "../../redis/slots.js";
import type { ResolvedTarget } from "../../targets/resolver.js";
import { journalDir } from "./journal.js";
import { formatMoves } from "./plan.js";
import { readPlanFile } from "./plan-file.js";
import type { CommonMigration } from "./verbs.js";
import type { MigrationResult } from "./run-migration.js";

export const migrationInputFields = {
  planOut: outputFileField("Save the plan to this file (JSON); with dryRun, nothing else happens."),
  plan: inputFileField("Apply the plan saved in this file, after checking the cluster still matches it."),
  replace: z.boolean().optional().describe("When a key exists on both sides with different values, keep the source's (default: stop and report)."),
  pipeline: z.number().int().min(1).max(100_000).optional().describe("Most keys per MIGRATE call (default 1000; batches are also cut at 16 MiB)."),
  path: z.enum(["auto", "keys", "atomic"]).default("auto").describe("auto: the servers' atomic slot migration (Valkey 9+, Redis 8.4+) when every node involved has it, else key by key."),
};

export const migrationOutputSchema = z.object({
  applied: z.boolean(),
  ok: z.boolean(),
  planId: z.string(),
  path: z.string(),
  pathReason: z.string(),
  moves: z.array(z.object({ from: z.string(), fromId: z.string(), to: z.string(), toId: z.string(), slots: z.string(), slotCount: z.number().int(), keys: z.number().int().optional() })),
  slotsMoved: z.number().int(),
  keysMoved: z.number().int(),
  bytesMoved: z.number(),
  keysPerSecond: z.number().int(),
  repaired: z.array(z.object({ slot: z.number().int(), kind: z.string(), owner: z.string(), description: z.string() })),
  resumedFrom: z.string().optional(),
  timings: z.record(z.string(), z.number()),
  warnings: z.array(z.string()),
  findings: z.array(findingSchema),
  journal: z.string().optional(),
  planFile: z.string().optional(),
  lines: z.array(z.string()).describe("The plan, one line per move."),
});

export type MigrationOutput = z.infer<typeof migrationOutputSchema>;

/** Journals beside the lab's state when every named node is a lab's; else under the state home. */
export function journalDirFor(t: ResolvedTarget): string {
  const owners = t.addresses.map((a) => t.access.grant(a).owner);
  const lab = owners.every((o) => o.kind === "lab" && o.name === (owners[0] as { name: string }).name) && owners[0]?.kind === "lab" ? owners[0].name : undefined;
  return journalDir({ lab });
}

/** The request fields reshard and rebalance fill alike from their common input (migrationInputFields): where, journal, dry run, saved plan, engine, path. */
export async function commonMigration(
  t: ResolvedTarget,
  input: { dryRun?: boolean; plan?: string; replace?: boolean; pipeline?: number; path: "auto" | "keys" | "atomic" },
  tool: "cluster_reshard" | "cluster_rebalance",
): Promise<CommonMigration> {
  return {
    addresses: t.addresses,
    access: t.access,
    zones: t.zones,
    journalDir: journalDirFor(t),
    dryRun: input.dryRun,
    savedPlan: input.plan ? await readPlanFile(input.plan, tool) : undefined,
    engine: { replace: input.replace, limits: { maxKeys: input.pipeline } },
    path: input.path,
  };
}

export function migrationOutput(r: MigrationResult, planFile?: string): MigrationOutput {
  const address = (id: string) => r.plan.masters.find((m) => m.id === id)?.address ?? id.slice(0, 8);
  return {
    applied: r.applied,
    ok: r.applied && !r.findings.some((f) => f.severity === "error"),
    planId: r.plan.id,
    path: r.plan.path,
    pathReason: r.plan.pathReason,
    moves: r.plan.moves.map((m) => ({ from: address(m.from), fromId: m.from, to: address(m.to), toId: m.to, slots: formatRanges(m.slots), slotCount: countSlots(m.slots), ...(m.keys !== undefined ? { keys: m.keys } : {}) })),
    slotsMoved: r.moved.slots,
    keysMoved: r.moved.keys,
    bytesMoved: r.moved.bytes,
    keysPerSecond: r.moved.keysPerSecond,
    repaired: r.repaired,
    ...(r.resumedFrom ? { resumedFrom: r.resumedFrom } : {}),
    timings: { ...r.timings, moveMs: r.moved.ms || r.timings.moveMs },
    warnings: [...r.plan.warnings, ...r.warnings],
    findings: r.findings,
    ...(r.journal ? { journal: r.journal } : {}),
    ...(planFile ? { planFile } : {}),
    lines: formatMoves(r.plan, 50),
  };
}

export function summarizeMigration(verb: string, o: MigrationOutput): string {
  const slots = o.moves.reduce((n, m) => n + m.slotCount, 0);
  const keys = o.moves.reduce((n, m) => n + (m.keys ?? 0), 0);
  const plan = o.lines.map((l) => `  ${l}`);
  const repaired = o.repaired.length ? [`${o.applied ? "Settled" : "Would first settle"} ${o.repaired.length} slot(s) an interrupted migration left open:`, ...o.repaired.slice(0, 5).map((r) => `  ${r.description}`)] : [];
  const extra = [...repaired, ...o.warnings.map((w) => `warning: ${w}`), ...(o.planFile ? [`plan saved to ${o.planFile}`] : [])];
  if (o.moves.length === 0) return [`${verb}: nothing to move${o.applied ? "" : " (dry run)"}.`, ...extra].join("\n");
  const head = o.applied
    ? `${verb}: moved ${o.slotsMoved} slot(s) and ${o.keysMoved} key(s) in ${o.timings.moveMs} ms (${o.keysPerSecond} keys/s), ${o.path === "keys" ? "key by key" : o.path}; ${o.ok ? "verified" : "NOT verified"} in ${o.timings.verifyMs} ms${o.resumedFrom ? `; resumed ${o.resumedFrom}` : ""}.`
    : `Dry run: ${verb} would move ${slots} slot(s) (${keys} key(s)) in ${o.moves.length} move(s), ${o.pathReason}; nothing changed.`;
  return [head, ...plan, ...extra].join("\n");
}

/** "ID=W" pairs (redis-cli's --cluster-weight) as a map. */
export function parseWeights(pairs: string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pairs) {
    const m = /^([^=\s]+)=(\d+(?:\.\d+)?)$/.exec(p.trim());
    if (!m) throw new ValidationError(`${quoted(p)} is not a weight of the form ID=W.`, "Write weights as NODE=W, e.g. 7f3c2a=2 or 127.0.0.1:7000=0.");
    out[m[1]] = Number(m[2]);
  }
  return out;
}
