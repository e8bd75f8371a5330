#!/usr/bin/env node
// Renders a Vega-Lite spec (JSON on stdin) to SVG (stdout) with vega-lite + vega in Node,
// no browser. A separate process because vega is ESM with top-level await, which the CLI's
// CommonJS bundle cannot load; src/drills/timeline.ts spawns it.
import * as vega from "vega";
import { compile } from "vega-lite";

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const spec = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
try {
  process.stdout.write(await view.toSVG());
} finally {
  view.finalize();
}
