/** Next steps fault errors share, as words refs so each front end names its own verb (src/registry/words.ts). */
import { callRef } from "../../registry/words.js";

/** For a node that is down: start it. */
export const startFirst = (lab: string, where: string): string => `Start it first: ${callRef("lab_start", { node: where, lab })}.`;
