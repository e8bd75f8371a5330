/**
 * cluster fix: migrations that were killed or failed (their journal is still open). Their
 * open slots are settled by the slot kinds before this runs; here each journal is closed,
 * and the setting it changed for the move (cluster-allow-replica-migration on a master it
 * was emptying, and its replicas) is put back.
 */
import { countSlots } from "../../../redis/slots.js";
import type { Journal } from "../../migrate/journal.js";
import { fromRecord, unprotect } from "../../migrate/protect.js";
import { comparePlan } from "../../migrate/plan-check.js";
import type { FixKind } from "../kind.js";
import { slotScan } from "../slot-scan.js";

export const interruptedMigrations: FixKind = {
  name: "interrupted-migrations",
  summary: "Migrations left unfinished by a killed or failed run: their journal closed and the settings they changed restored (re-run the same command to move the rest).",
  async plan(ctx) {
    const s = await slotScan(ctx);
    return s.journals.map((j) => {
      const left = comparePlan(j.file.plan, s.map).remaining.reduce((n, m) => n + countSlots(m.slots), 0);
      const restore = Object.keys(j.file.restore ?? {});
      return {
        kind: "interrupted-migrations",
        subject: `migration ${j.file.plan.id}`,
        description:
          `${j.file.plan.purpose} ${j.file.plan.id} (${j.file.state}, pid ${j.file.pid}): close its journal` +
          (restore.length ? `, restore cluster-allow-replica-migration on ${restore.join(", ")}` : "") +
          (left ? `; ${left} planned slot(s) were not moved (re-run the same command to move them)` : ""),
        data: j,
      };
    });
  },
  async apply(ctx, fixes) {
    for (const f of fixes) {
      const j = f.data as Journal;
      const problems = await unprotect(ctx.pool, fromRecord(j.file.restore));
      if (problems.length) ctx.progress({ step: "fix", message: problems.join(" ") });
      await j.finish("repaired", undefined, "closed by cluster fix");
    }
  },
};
