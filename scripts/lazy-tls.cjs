// Stands in for node:tls inside the startup snapshot bundle (see scripts/bundle.mjs).
// Node 20 cannot serialize the tls binding into a snapshot, and ioredis requires tls
// when it loads; this loads the real module on first use, at run time, when a
// connection asks for TLS. It serves property reads (what ioredis does); our own code
// requires node:tls at the point of use (src/redis/extra-ca.ts).
"use strict";
// An indirect call, so esbuild leaves it alone: it would resolve require("node:tls") back to this file.
const nodeRequire = require;
let tls;
const real = () => (tls ??= nodeRequire("node:tls"));
module.exports = new Proxy({}, { get: (_, key) => real()[key], has: (_, key) => key in real() });
