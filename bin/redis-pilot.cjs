#!/usr/bin/env node
// redis-pilot's launcher (package.json "bin"), the same from a checkout and from an
// installed package. It runs the bundled CLI (dist/bin/redis-pilot.bundle.cjs) through
// vm.Script with V8's code cache, so a run deserializes compiled code instead of parsing
// about a megabyte of JavaScript (docs/cluster-create.md, "Start-up", has the numbers).
// It matters because Node start-up comes before the first command that `cluster create`
// sends, and the MCP cold start pays it too.
// A missing or rejected cache (the verb's first run, another Node version, other V8
// flags) is written at exit, atomically. If it cannot be written (a read-only install),
// the next run just parses again.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

const bundle = path.join(__dirname, "..", "dist", "bin", "redis-pilot.bundle.cjs");
// One code cache per verb ("cluster-create", "mcp", ...): V8 keeps the functions a run compiled,
// so each verb's cache holds what that verb runs (about 10 ms less CPU before cluster create's
// first command than one cache shared with `--help`). Options and addresses end the key.
const words = [];
for (const a of process.argv.slice(2)) {
  if (words.length === 2 || !/^[a-z][a-z-]{0,23}$/.test(a)) break;
  words.push(a);
}
const cacheFile = `${bundle}.${words.join("-") || "default"}.v8cache`;

let source;
try {
  source = fs.readFileSync(bundle, "utf8");
} catch {
  process.stderr.write("error: redis-pilot is not built. Run 'npm run build' (or 'npm start') in its checkout first.\n");
  process.exit(1);
}
// A shebang line is not JavaScript inside a function wrapper (the bundle has none; be safe).
if (source.startsWith("#!")) source = source.replace(/^#!.*/, "");
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {}

const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
if (!cachedData || script.cachedDataRejected) {
  process.once("exit", () => {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {}
  });
}
const mod = { exports: {} };
script.runInThisContext()(mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
