/** cluster fix: Slots that several masters claim, or that nodes disagree on: settled on the claimant holding their keys, its epoch bumped so the claim wins. */
import type { FixKind } from "../kind.js";
import { applySlotKind, planSlotKind } from "../slot-scan.js";

export const slotOwners: FixKind = {
  name: "slot-owners",
  summary: "Slots that several masters claim, or that nodes disagree on: settled on the claimant holding their keys, its epoch bumped so the claim wins.",
  plan: (ctx) => planSlotKind(ctx, "slot-owners", "multiple-owners"),
  apply: applySlotKind,
};
