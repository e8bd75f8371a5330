/** cluster fix: Slots no master owns: assigned to the master holding their keys, else to the master with the fewest slots. */
import type { FixKind } from "../kind.js";
import { applySlotKind, planSlotKind } from "../slot-scan.js";

export const uncoveredSlots: FixKind = {
  name: "uncovered-slots",
  summary: "Slots no master owns: assigned to the master holding their keys, else to the master with the fewest slots.",
  plan: (ctx) => planSlotKind(ctx, "uncovered-slots", "uncovered"),
  apply: applySlotKind,
};
