/**
 * bench/runbook: what a runbook costs on top of the calls it makes, side by side with
 * redis-cli. On one lab cluster (6 nodes, 3 masters), N runs each of:
 *   redis-cli --cluster check HOST:PORT                       (the outside judge)
 *   redis-pilot cluster check --lab L                         (one tool verb)
 *   redis-pilot runbook run runbooks/health-check.yaml --lab L --report junit F
 *                                                            (validate + 2 steps + 8 expectations + report)
 * all as processes, wall time from spawn to exit. In-process: validating each example
 * runbook (parse, zod, every step against its tool), and the executor's own time in a
 * health-check run (run time minus the time spent inside the tools).
 *
 * Usage: npm run build && node dist/bench/runbook.js [--runs N]
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const RUNS = Number(arg("runs", "10"));
const ROOT = join(new URL("../..", import.meta.url).pathname);
const BIN = join(ROOT, "bin", "redis-pilot.cjs");
const RUNBOOKS = join(ROOT, "runbooks");
process.env.REDIS_PILOT_HOME = mkdtempSync(join(tmpdir(), "redis-pilot-bench-rb-"));

const { labUp, labDown } = await import("../src/lab/index.js");
const { invokeTool } = await import("../src/registry/invoke.js");
const { createResolver } = await import("../src/targets/resolver.js");
const { allTools } = await import("../tools/index.js");
const { validateRunbook, executeRunbook } = await import("../src/runbook/index.js");
const { findRedisCli } = await import("../src/lab/redis-binary.js");

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;
const ctx = { progress: () => {}, signal: new AbortController().signal, targets: createResolver({}) };

async function timed(file: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  // The package's bin is a node script: run it as npx would, with node.
  await (file === BIN ? run(process.execPath, [BIN, ...args], { env: process.env }) : run(file, args, { env: process.env }));
  return performance.now() - t0;
}

const lab = "bench-rb";
await labUp({ name: lab, nodes: 6 });
try {
  const create = await invokeTool(allTools.find((t) => t.name === "cluster_create")!, { lab, replicas: 1 }, { ctx });
  if (!create.ok) throw new Error(create.summary);
  const seed = (create.output.nodes as Array<{ address: string }>)[0].address;
  const report = join(process.env.REDIS_PILOT_HOME!, "health.xml");
  const rows: Array<[string, number[]]> = [
    ["redis-cli --cluster check", []],
    ["redis-pilot cluster check --lab", []],
    ["redis-pilot runbook run health-check.yaml (+ JUnit)", []],
  ];
  for (let i = 0; i < RUNS; i++) {
    rows[0][1].push(await timed(findRedisCli(), ["--cluster", "check", seed]));
    rows[1][1].push(await timed(BIN, ["cluster", "check", "--lab", lab]));
    rows[2][1].push(await timed(BIN, ["runbook", "run", join(RUNBOOKS, "health-check.yaml"), "--lab", lab, "--quiet", "--report", "junit", report]));
  }
  console.log(`\nWall time, spawn to exit, median of ${RUNS} (6 nodes, 3 masters):`);
  for (const [name, xs] of rows) console.log(`  ${name.padEnd(52)} ${ms(median(xs)).padStart(10)}   (min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))})`);

  console.log("\nValidation in-process (parse, shape, each step against its tool), median of 50:");
  for (const f of readdirSync(RUNBOOKS).filter((x) => x.endsWith(".yaml"))) {
    const text = readFileSync(join(RUNBOOKS, f), "utf8");
    const xs: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      validateRunbook(text, { tools: allTools, env: {} });
      xs.push(performance.now() - t0);
    }
    console.log(`  ${f.padEnd(24)} ${ms(median(xs)).padStart(9)}`);
  }

  const overhead: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const v = validateRunbook(readFileSync(join(RUNBOOKS, "health-check.yaml"), "utf8"), { tools: allTools, env: {}, target: { lab } });
    if (!v.ok) throw new Error("health-check.yaml does not validate");
    const r = await executeRunbook(v.runbook, { tools: allTools, targets: ctx.targets });
    overhead.push(r.durationMs - r.steps.reduce((a, s) => a + s.durationMs, 0));
  }
  console.log(`\nExecutor's own time in a health-check run (run minus steps), median of ${RUNS}: ${ms(median(overhead))}`);
} finally {
  await labDown(lab);
}
