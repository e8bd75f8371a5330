/**
 * Synchronous, on-demand loading for packages most runs never need (pino, yaml).
 * A call through createRequire is opaque to the bundler, so the package is resolved
 * from node_modules at the moment of use instead of being evaluated at start-up,
 * which keeps `cluster create` and the MCP cold start short.
 */
import { createRequire } from "node:module";

export const lazyRequire = createRequire(import.meta.url);
