/**
 * bench/split-brain: the split-brain drill's numbers, scenario by scenario (Cluster and
 * Sentinel, Redis' defaults and tuned), each over N runs on fresh labs: the split-brain
 * window, acknowledged writes lost at heal, how long the old master kept taking writes
 * and when the majority side's client wrote again. Needs root (iptables).
 *
 * Usage: npm run build && node dist/bench/split-brain.js [--runs 5] [--deployment both]
 *        [--settings both] [--backend local|docker] [--layout sentinel-3|multi-dc-sentinel] [--json FILE]
 *        [--min-replicas N]  (Sentinel, tuned, with this min-replicas-to-write instead of the layout's)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { invokeTool } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { drillSplitBrain } from "../tools/drills/drill-split-brain.js";
import { runDrill } from "../src/drills/run-drill.js";
import { splitBrain, summarizeSplitBrain } from "../src/drills/split-brain/measure.js";
import { splitBrainScenario } from "../src/drills/split-brain/scenario.js";
import { variantSettings, type SentinelLayout } from "../src/drills/split-brain/variants.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

// The drill's labs live in a home of their own, removed at the end.
const home = mkdtempSync(join(tmpdir(), "redis-pilot-bench-sb-"));
process.env.REDIS_PILOT_HOME = home;
const started = Date.now();
try {
  const args = { runs: Number(arg("runs", "5")), deployment: arg("deployment", "both"), settings: arg("settings", "both"), backend: arg("backend", "local"), layout: arg("layout", "sentinel-3") };
  const ctx = {
    progress: (e: { message: string; elapsedMs?: number }) => process.stderr.write(`${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${e.message}\n`),
    signal: new AbortController().signal,
    targets: createResolver(),
  };
  const minReplicas = arg("min-replicas", "");
  if (minReplicas) {
    // A setting the tool does not offer (e.g. min-replicas-to-write 1 on multi-dc-sentinel, to show it does not protect).
    const v = { deployment: "sentinel" as const, tuned: true, layout: args.layout as SentinelLayout, minReplicas: Number(minReplicas) };
    const r = await runDrill(splitBrainScenario(v, { backend: args.backend as "local" | "docker" }), { runs: args.runs, writers: 2, signal: ctx.signal, progress: ctx.progress });
    const s = summarizeSplitBrain(r.runs.map((run) => splitBrain(run.history)));
    console.log(`${r.scenario} [${variantSettings(v).describe}]: ${JSON.stringify(s)}`);
  } else {
    const result = await invokeTool(drillSplitBrain, args, { ctx });
    if (!result.ok) throw new Error(`${result.error.message} ${result.error.next}`);
    console.log(result.summary);
    const json = arg("json", "");
    if (json) writeFileSync(json, JSON.stringify(result.output, null, 1) + "\n");
  }
  console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
// A cluster client's slot refresh in flight when it quit re-arms its timer (ioredis); do not wait on it.
process.exit(0);
