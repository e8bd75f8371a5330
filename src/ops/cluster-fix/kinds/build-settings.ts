/**
 * cluster fix: settings a cluster create lowered for its build (cluster-node-timeout 500,
 * cluster-replica-no-failover yes, repl-diskless-sync-delay 0) and could not put back,
 * because it was killed outright (SIGKILL, a lost machine). Its journal
 * (src/ops/cluster-create/settings-journal.ts) holds each node's original values: plan
 * reads them and the nodes' current values, apply sets the originals, re-reads them to
 * prove it, and removes the journal once every node of it is back.
 */
import { VerificationFailedError } from "../../../errors.js";
import { parseConfigGet } from "../../../redis/parse-config.js";
import { TUNED, type TunedSetting } from "../../cluster-create/preflight.js";
import { readJournals, removeJournal, type JournalFile } from "../../cluster-create/settings-journal.js";
import type { FixContext, FixKind, PlannedFix } from "../kind.js";

interface Restore {
  address: string;
  /** The journaled values of the settings that differ now. */
  settings: Partial<Record<TunedSetting, string>>;
  journal: string;
}

async function current(ctx: FixContext, address: string): Promise<Record<string, string>> {
  return parseConfigGet(await (await ctx.pool.get(address)).call("CONFIG", "GET", ...TUNED));
}

/** Journals about this cluster: any of their node ids is in the view. */
function journalsOf(ctx: FixContext, files: JournalFile[]): JournalFile[] {
  const ids = new Set(ctx.view.nodes.map((n) => n.self.id));
  return files.filter((f) => f.journal.nodes.some((n) => ids.has(n.id)));
}

async function plan(ctx: FixContext): Promise<PlannedFix[]> {
  const fixes: PlannedFix[] = [];
  for (const file of journalsOf(ctx, await readJournals())) {
    const j = file.journal;
    let left = 0;
    for (const node of j.nodes) {
      const seen = ctx.view.nodes.find((n) => n.self.id === node.id);
      if (!seen) continue;
      const now = await current(ctx, seen.address);
      const wrong = TUNED.filter((k) => now[k] !== node.settings[k]);
      if (!wrong.length) continue;
      left++;
      const data: Restore = { address: seen.address, settings: Object.fromEntries(wrong.map((k) => [k, node.settings[k]])), journal: file.path };
      fixes.push({
        kind: "build-settings",
        subject: seen.address,
        description: `${wrong.map((k) => `${k} ${now[k]} -> ${node.settings[k]}`).join(", ")} (left by the cluster create of ${j.startedAt}, pid ${j.pid})`,
        data,
      });
    }
    // Every node is back already (the build died between restoring and removing its journal): only the file is left.
    if (left === 0) fixes.push({ kind: "build-settings", subject: file.path, description: "remove the journal of a build whose settings are all back", data: { journal: file.path } });
  }
  return fixes;
}

async function apply(ctx: FixContext, fixes: PlannedFix[]): Promise<void> {
  const restores = fixes.map((f) => f.data as Restore | { journal: string });
  await Promise.all(
    restores.flatMap((r) => ("address" in r ? [(async () => (await ctx.pool.get(r.address)).call("CONFIG", "SET", ...Object.entries(r.settings).flat()))()] : [])),
  );
  // Verified by re-reading, node by node: a setting still off is an error naming it.
  for (const r of restores) {
    if (!("address" in r)) continue;
    const now = await current(ctx, r.address);
    const off = Object.entries(r.settings).filter(([k, v]) => now[k] !== v);
    if (off.length) {
      const findings = off.map(([k, v]) => ({ severity: "error" as const, code: "setting_not_restored", message: `${k} on ${r.address} is ${now[k]}, not ${v}.`, next: `Run CONFIG SET ${k} ${v} on ${r.address}.`, node: r.address }));
      throw new VerificationFailedError(`Restoring the build settings did not hold: ${findings[0].message}`, findings);
    }
    ctx.progress({ step: "build-settings", message: `${r.address}: ${Object.entries(r.settings).map(([k, v]) => `${k} ${v}`).join(", ")} restored` });
  }
  for (const path of new Set(restores.map((r) => r.journal))) await removeJournal(path);
}

export const buildSettings: FixKind = {
  name: "build-settings",
  summary: "Failover settings a killed cluster create left lowered: put back from its journal, then re-read.",
  plan,
  apply,
};
