/** The built CLI as users run it (package.json "bin"): the esbuild bundle. `npm test` builds it first. */
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/bin/redis-pilot.mjs", import.meta.url));
