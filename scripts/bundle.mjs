#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli.js) with esbuild into one CommonJS file,
// dist/bin/redis-pilot.bundle.cjs, which bin/redis-pilot.cjs runs with V8's code cache:
// a run then deserializes compiled code instead of parsing hundreds of small modules
// (docs/cluster-create.md, "Start-up", has the numbers). The build starts no server and
// reads nothing of this machine but the compiled files, so its output is the same
// everywhere (test/build.test.ts). The code cache is written by the first run, next to
// the bundle, for that run's node.
//
// Modules that are imported lazily stay lazy in the bundle: esbuild wraps them and
// evaluates them on first use. A package that cannot be bundled must be loaded with
// lazyRequire (src/lazy-require.ts), never with import(): the launcher's vm.Script has
// no loader for dynamic imports.
//
// Usage: node scripts/bundle.mjs [--out DIR]   (default DIR: dist/bin)
import { build } from "esbuild";
import { realpathSync, rmSync } from "node:fs";

const root = realpathSync(new URL("..", import.meta.url).pathname);
const i = process.argv.indexOf("--out");
const out = i > 0 ? process.argv[i + 1] : `${root}/dist/bin`;
rmSync(out, { recursive: true, force: true });

const result = await build({
  entryPoints: [`${root}/dist/src/cli.js`],
  outfile: `${out}/redis-pilot.bundle.cjs`,
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
const dynamic = Object.values(result.metafile.outputs).flatMap((o) => o.imports).filter((x) => x.kind === "dynamic-import" && x.external);
if (dynamic.length) throw new Error(`bundle keeps dynamic import() of ${dynamic.map((x) => x.path).join(", ")}: load these with lazyRequire`);
