/** The repair kinds of cluster fix, in the order they run. One file each. */
import type { FixKind } from "../kind.js";
import { openSlots } from "./open-slots.js";
import { slotOwners } from "./slot-owners.js";
import { uncoveredSlots } from "./uncovered-slots.js";
import { strayKeys } from "./stray-keys.js";
import { interruptedMigrations } from "./interrupted-migrations.js";
import { buildSettings } from "./build-settings.js";

export const fixKinds: readonly FixKind[] = [buildSettings, openSlots, slotOwners, uncoveredSlots, strayKeys, interruptedMigrations];
