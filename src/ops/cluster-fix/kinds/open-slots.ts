/** cluster fix: Slots left MIGRATING or IMPORTING: finished toward the migration's target (as its journal planned, or as the servers show a consistent pair), else given back to their owner. */
import type { FixKind } from "../kind.js";
import { applySlotKind, planSlotKind } from "../slot-scan.js";

export const openSlots: FixKind = {
  name: "open-slots",
  summary: "Slots left MIGRATING or IMPORTING: finished toward the migration's target (as its journal planned, or as the servers show a consistent pair), else given back to their owner.",
  plan: (ctx) => planSlotKind(ctx, "open-slots", "open-slot"),
  apply: applySlotKind,
};
