/**
 * The settings each split-brain variant runs with. "default" is what a deployment gets
 * without thinking about partitions; "tuned" is what the Redis docs suggest against split
 * brain: the old master stops taking writes once no replica has acknowledged it for
 * min-replicas-max-lag seconds, and (Cluster) a shorter cluster-node-timeout.
 */
export interface SplitBrainVariant {
  deployment: "cluster" | "sentinel";
  tuned: boolean;
  /** Sentinel: the lab template drilled. @default "sentinel-3" */
  layout?: SentinelLayout;
  /** Sentinel, tuned: min-replicas-to-write instead of the layout's nodes per zone (bench/split-brain --min-replicas). */
  minReplicas?: number;
}

/**
 * The Sentinel layouts the drill knows, and how many data nodes each puts in one zone:
 * min-replicas-to-write counts replicas in the master's own zone too, so only a value
 * above the replicas a zone holds besides the master stops a master cut off with it.
 */
export const SENTINEL_LAYOUTS = { "sentinel-3": { perZone: 1 }, "multi-dc-sentinel": { perZone: 2 } } as const;
export type SentinelLayout = keyof typeof SENTINEL_LAYOUTS;

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
  // Stated either way: a template may set its own (multi-dc-sentinel ships 2).
  const minReplicas = v.tuned ? (v.minReplicas ?? SENTINEL_LAYOUTS[v.layout ?? "sentinel-3"].perZone) : 0;
  const layout = v.layout && v.layout !== "sentinel-3" ? `${v.layout} layout, ` : "";
  return v.tuned
    ? { nodeTimeoutMs: DEFAULT_NODE_TIMEOUT_MS, config: { ...LAB_CONFIG, "min-replicas-to-write": String(minReplicas), "min-replicas-max-lag": "1" }, failoverBudgetMs: 15_000, describe: `${layout}min-replicas-to-write ${minReplicas}, min-replicas-max-lag 1` }
    : { nodeTimeoutMs: DEFAULT_NODE_TIMEOUT_MS, config: { ...LAB_CONFIG, "min-replicas-to-write": "0" }, failoverBudgetMs: 15_000, describe: `${layout}min-replicas-to-write 0 (Redis' default)` };
}

export const VARIANTS: readonly SplitBrainVariant[] = [
  { deployment: "cluster", tuned: false },
  { deployment: "cluster", tuned: true },
  { deployment: "sentinel", tuned: false },
  { deployment: "sentinel", tuned: true },
];
