/**
 * A lab template: a named high-availability pattern, the lab it needs, and how to build
 * it on the started lab through the same ops that build it on real servers. Each says
 * what it protects against and what it does not.
 */
import type { OpContext } from "../../ops/progress.js";
import type { LabSpecInput } from "../spec.js";
import type { LabState, LabTopology } from "../types.js";

export interface TemplateOptions {
  /** Replicas, for templates that take a number (read-replicas). */
  replicas?: number;
}

export interface LabTemplate {
  /** What `lab up --template NAME` takes. */
  name: string;
  /** The pattern by its usual name. */
  pattern: string;
  protectsAgainst: string;
  doesNotProtectAgainst: string;
  /** The lab this template needs (nodes, sentinels, zones, cluster mode). */
  spec(opts: TemplateOptions): Omit<LabSpecInput, "name">;
  /** Builds the pattern on the started lab and returns what it built (verified by the ops it runs). */
  build(state: LabState, ctx: OpContext): Promise<LabTopology>;
}
