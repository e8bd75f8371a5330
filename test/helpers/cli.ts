/**
 * The CLI as users run it. `npm test` builds both first.
 * - BIN, package.json's "bin": a shell launcher that starts node from the V8 startup
 *   snapshot for `cluster` and `lab`, and runs CLI for everything else.
 * - CLI: the launcher of the esbuild bundle, run as `node bin/redis-pilot.cjs`.
 */
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/redis-pilot", import.meta.url));
export const CLI = fileURLToPath(new URL("../../bin/redis-pilot.cjs", import.meta.url));
