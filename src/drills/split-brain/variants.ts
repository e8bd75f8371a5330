/**
 * The settings each split-brain variant runs with. "default" is what a deployment gets
 * without thinking about partitions; "tuned" is what the Redis docs suggest against split
 * brain: the old master stops taking writes once no replica has acknowledged it for
 * min-replicas-max-lag seconds, and (Cluster) a shorter cluster-node-timeout.
 */
export interface SplitBrainVariant {
  deployment: "cluster" | "sentinel";
  tuned: boolean;
}

export interface VariantSettings {
  /** cluster-node-timeout (Cluster). */
  nodeTimeoutMs: number;
  /** redis.conf directives for every node. */
  config: Record<string, string>;
  /** How long a failover may take to show up after the cut, before the drill gives up waiting. */
  failoverBudgetMs: number;
  /** The settings in words, for the report. */
  describe: string;
}

/** Redis' own default cluster-node-timeout. */
export const DEFAULT_NODE_TIMEOUT_MS = 15_000;
export const TUNED_NODE_TIMEOUT_MS = 3_000;
export const TUNED_MIN_REPLICAS = { "min-replicas-to-write": "1", "min-replicas-max-lag": "1" };
/** First syncs start at once instead of after 5 s (the lab's usual setting). */
const LAB_CONFIG = { "repl-diskless-sync-delay": "0" };

export function variantSettings(v: SplitBrainVariant): VariantSettings {
  if (v.deployment === "cluster") {
    return v.tuned
      ? {
          nodeTimeoutMs: TUNED_NODE_TIMEOUT_MS,
          config: { ...LAB_CONFIG, ...TUNED_MIN_REPLICAS },
          failoverBudgetMs: TUNED_NODE_TIMEOUT_MS * 3,
          describe: `cluster-node-timeout ${TUNED_NODE_TIMEOUT_MS}, min-replicas-to-write 1, min-replicas-max-lag 1`,
        }
      : {
          nodeTimeoutMs: DEFAULT_NODE_TIMEOUT_MS,
          config: LAB_CONFIG,
          failoverBudgetMs: DEFAULT_NODE_TIMEOUT_MS * 3,
          describe: `cluster-node-timeout ${DEFAULT_NODE_TIMEOUT_MS} (Redis' default), min-replicas-to-write 0`,
        };
  }
  return v.tuned
    ? { nodeTimeoutMs: DEFAULT_NODE_TIMEOUT_MS, config: { ...LAB_CONFIG, ...TUNED_MIN_REPLICAS }, failoverBudgetMs: 15_000, describe: "min-replicas-to-write 1, min-replicas-max-lag 1" }
    : { nodeTimeoutMs: DEFAULT_NODE_TIMEOUT_MS, config: LAB_CONFIG, failoverBudgetMs: 15_000, describe: "min-replicas-to-write 0 (Redis' default)" };
}

export const VARIANTS: readonly SplitBrainVariant[] = [
  { deployment: "cluster", tuned: false },
  { deployment: "cluster", tuned: true },
  { deployment: "sentinel", tuned: false },
  { deployment: "sentinel", tuned: true },
];
