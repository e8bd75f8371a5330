/** The CLI as users run it (package.json "bin"): the launcher of the esbuild bundle. `npm test` builds it first. */
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../bin/redis-pilot.cjs", import.meta.url));
