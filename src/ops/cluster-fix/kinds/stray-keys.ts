/** cluster fix: Keys on a master that does not own their slot: moved to the owner (equal copies merged, different ones reported). */
import type { FixKind } from "../kind.js";
import { applySlotKind, planSlotKind } from "../slot-scan.js";

export const strayKeys: FixKind = {
  name: "stray-keys",
  summary: "Keys on a master that does not own their slot: moved to the owner (equal copies merged, different ones reported).",
  plan: (ctx) => planSlotKind(ctx, "stray-keys", "stray-keys"),
  apply: applySlotKind,
};
