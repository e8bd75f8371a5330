/**
 * What every MCP session shares: the selected tools and, loaded on first use, the
 * targets config and the resolver built from it. MCP is never operator mode: the model
 * picks the addresses, so bare ones outside a lab stay read-only unless the config's
 * bareAddresses.allowMutations says otherwise, and targets without allowMutations too.
 */
import type { AnyTool } from "../registry/tool.js";
import type { PilotConfig } from "../targets/config.js";
import type { TargetResolver } from "../targets/resolver.js";

export interface ServerDeps {
  tools: AnyTool[];
  config(): Promise<PilotConfig>;
  /** Builds the real resolver on first use, so a broken config file fails the calls that need targets, not start-up. */
  targets: TargetResolver;
}

/** Memoizes a promise-returning loader; a failed load is retried on the next call. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}

export function createDeps(tools: AnyTool[], configPath?: string): ServerDeps {
  // config.js pulls in the YAML parser: imported on the first call that needs targets.
  const config = once(async () => (await import("../targets/config.js")).loadConfig(configPath));
  const resolver = once(async () => {
    const { createResolver } = await import("../targets/resolver.js");
    return createResolver({ config: await config() });
  });
  return { tools, config, targets: { resolve: async (ref, opts) => (await resolver()).resolve(ref, opts) } };
}
