#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli.js) into one CommonJS file with esbuild. The
// launcher bin/redis-pilot.cjs runs that file with V8's code cache: one file and a cache
// instead of hundreds of small modules. `cluster --help` then starts in about 90 ms
// instead of about 260 ms. After bundling, one run (`--version`, which loads every verb)
// writes the cache.
// Modules that are imported lazily stay lazy in the bundle: esbuild wraps them and
// evaluates them on first use.
// A package that cannot be bundled must be loaded with lazyRequire (src/lazy-require.ts),
// never with import(): the launcher's vm.Script has no loader for dynamic imports.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
rmSync(`${root}dist/bin`, { recursive: true, force: true });
const result = await build({
  entryPoints: [`${root}dist/src/cli.js`],
  outfile: `${root}dist/bin/redis-pilot.bundle.cjs`,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: true,
  logLevel: "error",
  metafile: true,
  // Native add-ons inside (ssh2, cpu-features): loaded from node_modules, by lazyRequire.
  external: ["dockerode"],
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
const dynamic = Object.values(result.metafile.outputs).flatMap((o) => o.imports).filter((i) => i.kind === "dynamic-import" && i.external);
if (dynamic.length) throw new Error(`bundle keeps dynamic import() of ${dynamic.map((i) => i.path).join(", ")}: load these with lazyRequire`);
execFileSync(process.execPath, [`${root}bin/redis-pilot.cjs`, "--version"], { stdio: "ignore" });
