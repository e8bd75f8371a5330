/**
 * The slot kinds share one scan per fix: which slots are open, uncovered, claimed by
 * several masters or hold keys on a master that does not own them (every slot counted on
 * every master), what interrupted migrations planned for them, and a repair per slot.
 * Each kind takes its own repairs; one settles them (settle.ts) and closes the journals.
 */
import { PilotError } from "../../errors.js";
import { againRef } from "../../registry/words.js";
import { clusterMap, type ClusterMap } from "../migrate/cluster-map.js";
import { openJournals, runningJournals, type Journal } from "../migrate/journal.js";
import { applyRepairs, plannedTargets, scanRepairs, type RepairScan } from "../migrate/repair.js";
import { checkRepairAuth, migrateAuthFor } from "../migrate/auth.js";
import { describeRepair, type RepairKind, type SlotRepair } from "../migrate/slot-repair.js";
import type { FixContext, PlannedFix } from "./kind.js";

export interface SlotScan extends RepairScan {
  map: ClusterMap;
  journals: Journal[];
}

const scans = new WeakMap<FixContext, Promise<SlotScan>>();

async function scan(ctx: FixContext): Promise<SlotScan> {
  const map = clusterMap(ctx.view);
  const ids = map.nodes.map((n) => n.id);
  const live = await runningJournals(ctx.journalDir, ids);
  if (live.length) {
    const j = live[0].file;
    throw new PilotError("migration_running", `A migration (${j.plan.purpose} ${j.plan.id}) is running right now in process ${j.pid}.`, `Let it finish, or stop it (kill -INT ${j.pid}; it leaves no slot open), then ${againRef("cluster_fix")}.`);
  }
  const journals = await openJournals(ctx.journalDir, ids);
  const found = await scanRepairs(ctx.pool, ctx.view, map, {
    planned: plannedTargets(journals.map((j) => j.file)),
    strayKeys: true,
    count: { tool: "cluster_fix", timeoutArg: true, signal: ctx.signal },
  });
  return { ...found, map, journals };
}

export function slotScan(ctx: FixContext): Promise<SlotScan> {
  let s = scans.get(ctx);
  if (!s) scans.set(ctx, (s = scan(ctx)));
  return s;
}

/** The fixes of one kind (named `name`) for the repairs of that RepairKind. */
export async function planSlotKind(ctx: FixContext, name: string, kind: RepairKind): Promise<PlannedFix[]> {
  const s = await slotScan(ctx);
  const repairs = s.repairs.filter((r) => r.kind === kind);
  checkRepairAuth(migrateAuthFor(ctx.access), repairs);
  return repairs.map((r) => ({ kind: name, subject: `slot ${r.slot}`, description: describeRepair(r), data: r }));
}

export async function applySlotKind(ctx: FixContext, fixes: PlannedFix[]): Promise<void> {
  const s = await slotScan(ctx);
  const repairs = fixes.map((f) => f.data as SlotRepair);
  let n = 0;
  await applyRepairs(ctx.pool, s.map, { repairs, states: s.states }, migrateAuthFor(ctx.access), {
    replace: ctx.replace,
    onSettled: (r) => ctx.progress({ step: "fix", message: `slot ${r.slot} settled on ${r.ownerAddress}`, progress: ++n, total: repairs.length }),
  });
}
