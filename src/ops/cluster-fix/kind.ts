/**
 * cluster fix is a list of repair kinds, each one file in kinds/: plan (read-only, what
 * it would repair: the dry run and the confirmation show it) and apply. Kinds run in list
 * order; the tool re-reads the cluster and runs every check afterwards.
 */
import type { NodePool } from "../../redis/connection.js";
import type { NodeAccess } from "../../redis/node-access.js";
import type { ClusterView } from "../../topology/types.js";
import type { ProgressSink } from "../progress.js";

export interface FixContext {
  pool: NodePool;
  access: NodeAccess;
  addresses: string[];
  zones?: Record<string, string>;
  view: ClusterView;
  /** Where this cluster's migration journals live. */
  journalDir: string;
  /** Keep the source's copy when a key exists on two masters with different values. */
  replace?: boolean;
  progress: ProgressSink;
  signal?: AbortSignal;
}

export interface PlannedFix {
  kind: string;
  /** What it is about: "slot 42", "127.0.0.1:7000", "migration 20250101T...". */
  subject: string;
  description: string;
  /** The kind's own data for apply (not shown). */
  data?: unknown;
}

export interface FixKind {
  name: string;
  /** One line for --help and the tool description. */
  summary: string;
  plan(ctx: FixContext): Promise<PlannedFix[]>;
  apply(ctx: FixContext, fixes: PlannedFix[]): Promise<void>;
}
