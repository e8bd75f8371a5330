#!/usr/bin/env node
// Bundles the compiled CLI with esbuild, twice, and builds a V8 startup snapshot.
//
// 1. dist/bin/redis-pilot.bundle.cjs (entry dist/src/cli.js): one CommonJS file that
//    bin/redis-pilot.cjs runs with V8's code cache, so a run deserializes compiled code
//    instead of parsing hundreds of small modules. After bundling, one run (`--version`,
//    which loads every verb) writes the cache.
// 2. dist/bin/redis-pilot.snapshot.cjs (entry dist/src/cli/snapshot.js) and, built from it
//    with `node --build-snapshot`, dist/bin/redis-pilot.blob: the `cluster` and `lab` verbs
//    with their modules already evaluated. bin/redis-pilot runs it when
//    dist/bin/redis-pilot.blob.meta says it fits (same node binary, same checkout).
//    Node 20 cannot snapshot the tls binding, so node:tls is swapped for a stand-in that
//    loads it on first use (scripts/lazy-tls.cjs). If the snapshot cannot be built, the
//    build says so and bin/redis-pilot runs the bundle instead.
//
// Modules that are imported lazily stay lazy in the bundles: esbuild wraps them and
// evaluates them on first use.
// A package that cannot be bundled must be loaded with lazyRequire (src/lazy-require.ts),
// never with import(): the launcher's vm.Script has no loader for dynamic imports.
import { build } from "esbuild";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, realpathSync, rmSync, writeFileSync } from "node:fs";

const root = realpathSync(new URL("..", import.meta.url).pathname);
const out = `${root}/dist/bin`;
rmSync(out, { recursive: true, force: true });

const common = {
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
};

async function bundle(entry, outfile, extra = {}) {
  const result = await build({ ...common, entryPoints: [entry], outfile, ...extra });
  const dynamic = Object.values(result.metafile.outputs).flatMap((o) => o.imports).filter((i) => i.kind === "dynamic-import" && i.external);
  if (dynamic.length) throw new Error(`bundle keeps dynamic import() of ${dynamic.map((i) => i.path).join(", ")}: load these with lazyRequire`);
}

await bundle(`${root}/dist/src/cli.js`, `${out}/redis-pilot.bundle.cjs`);
execFileSync(process.execPath, [`${root}/bin/redis-pilot.cjs`, "--version"], { stdio: "ignore" });

const tlsStandIn = `${root}/scripts/lazy-tls.cjs`;
await bundle(`${root}/dist/src/cli/snapshot.js`, `${out}/redis-pilot.snapshot.cjs`, { alias: { tls: tlsStandIn, "node:tls": tlsStandIn } });
const blob = `${out}/redis-pilot.blob`;
const snap = spawnSync(process.execPath, ["--snapshot-blob", blob, "--build-snapshot", `${out}/redis-pilot.snapshot.cjs`], {
  stdio: ["ignore", "ignore", "pipe"],
  encoding: "utf8",
  // No NODE_OPTIONS: a blob loads only under the V8 flags it was built with, and
  // bin/redis-pilot uses it only when NODE_OPTIONS is empty. Node warns about every
  // built-in module it has not verified in snapshots; the tests run the result.
  env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_OPTIONS")), NODE_NO_WARNINGS: "1" },
});
// The warm-up's own notes (no redis-server, or a failed warm-up) are worth seeing either way.
for (const line of String(snap.stderr ?? "").split("\n").filter((l) => l.startsWith("note:"))) process.stderr.write(`${line}\n`);
if (snap.status === 0 && existsSync(blob)) {
  // Read by bin/redis-pilot: the node binary and checkout the blob belongs to, and the verbs it serves.
  writeFileSync(`${blob}.meta`, `${process.execPath}\n${root}\ncluster lab\n`);
} else {
  rmSync(blob, { force: true });
  const why = String(snap.error?.message ?? snap.stderr ?? "").trim().split("\n").find((l) => l && !l.startsWith("note:")) ?? `exit ${snap.status}`;
  process.stderr.write(`note: no startup snapshot (${why}); bin/redis-pilot runs the bundle.\n`);
}
