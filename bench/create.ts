/**
 * bench/create: `redis-pilot cluster create` vs `redis-cli --cluster create
 * --cluster-replicas 1`, side by side, on fresh sets of empty nodes (node-timeout
 * 15000, started a few seconds before timing begins so neither pays the start-up delay).
 *
 *   ready     = redis-cli --cluster check passes and cluster_state:ok on every node
 *   converged = every node's CLUSTER NODES shows every replica under a master
 *
 * Both are measured from the moment the command is spawned, by an outside poller.
 * Usage: npm run bench:create -- [--runs N] [--sizes 6,12] [--settle MS]
 */
import { spawn, execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { envVariants } from "./node-env.js";

const execFileP = promisify(execFile);
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const RUNS = Number(arg("runs", "3"));
const SIZES = arg("sizes", "6,12").split(",").map(Number);
const SETTLE_MS = Number(arg("settle", "3000"));
const POLL_MS = 5;
const CLI = join(new URL("../..", import.meta.url).pathname, "bin", "redis-pilot.cjs");

process.env.REDIS_PILOT_HOME = mkdtempSync(join(tmpdir(), "redis-pilot-bench-"));
const { labUp, labDown } = await import("../src/lab/index.js");
const { findRedisCli } = await import("../src/lab/redis-binary.js");
const redisCli = findRedisCli();

interface Sample {
  readyMs: number;
  convergedMs: number;
  exitMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function redisCliCheckPasses(address: string): Promise<boolean> {
  try {
    const { stdout } = await execFileP(redisCli, ["--cluster", "check", address], { timeout: 10_000 });
    return !/\[ERR\]|\[WARNING\]/.test(stdout);
  } catch {
    return false;
  }
}

async function measure(cmd: string, args: string[], addresses: string[], replicas: number, env = process.env): Promise<Sample> {
  const clients = addresses.map((a) => new Redis({ host: a.split(":")[0], port: Number(a.split(":")[1]), lazyConnect: false }));
  await Promise.all(clients.map((c) => c.ping()));
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "ignore"], env });
  let exitMs = -1;
  const exited = new Promise<void>((resolve) => child.on("exit", () => ((exitMs = performance.now() - t0), resolve())));
  let readyMs = -1;
  let convergedMs = -1;
  while ((readyMs < 0 || convergedMs < 0) && performance.now() - t0 < 120_000) {
    const pollStart = performance.now() - t0;
    if (readyMs < 0) {
      const states = await Promise.all(clients.map((c) => c.call("CLUSTER", "INFO").then(String)));
      if (states.every((s) => s.includes("cluster_state:ok")) && (await redisCliCheckPasses(addresses[0]))) readyMs = pollStart;
    }
    if (convergedMs < 0) {
      const views = await Promise.all(clients.map((c) => c.call("CLUSTER", "NODES").then(String)));
      // CLUSTER NODES fields: id addr flags master ...; a replica has "slave" in flags and a master id.
      const seen = views.map((v) => v.split("\n").map((l) => l.split(" ")).filter((f) => f.length > 3 && f[2].split(",").includes("slave") && f[3] !== "-").length);
      if (seen.every((n) => n === replicas)) convergedMs = pollStart;
    }
    await sleep(POLL_MS);
  }
  await exited;
  clients.forEach((c) => c.disconnect());
  return { readyMs, convergedMs, exitMs };
}

/** redis-pilot once per environment variant (see node-env.ts), then redis-cli. */
const TOOLS = [...envVariants().map((v) => ({ name: `redis-pilot${v.label}`, env: v.env })), { name: "redis-cli", env: process.env }];

async function run(tool: (typeof TOOLS)[number], size: number, i: number): Promise<Sample> {
  const name = `bench-${TOOLS.indexOf(tool)}-${size}-${i}`;
  const lab = await labUp({ name, nodes: size, nodeTimeoutMs: 15000 });
  const addresses = lab.nodes.map((n) => `${n.host}:${n.port}`);
  try {
    await sleep(SETTLE_MS);
    return tool.name === "redis-cli"
      ? await measure(redisCli, ["--cluster", "create", ...addresses, "--cluster-replicas", "1", "--cluster-yes"], addresses, size / 2)
      : await measure(process.execPath, [CLI, "cluster", "create", ...addresses, "--replicas", "1", "--yes"], addresses, size / 2, tool.env);
  } finally {
    await labDown(name);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms < 0 ? "n/a" : `${(ms / 1000).toFixed(3)} s`).padStart(9);

console.log(`cluster create, ${RUNS} run(s) each, median; nodes started ${SETTLE_MS} ms before timing; node-timeout 15000`);
const WIDTH = Math.max(...TOOLS.map((t) => t.name.length)) + 8;
console.log(`${"nodes".padEnd(6)}${"tool".padEnd(WIDTH)}${"ready".padStart(9)}${"converged".padStart(11)}${"exit".padStart(9)}   runs (ready/converged)`);
try {
  for (const size of SIZES) {
    const results: Record<string, Sample[]> = Object.fromEntries(TOOLS.map((t) => [t.name, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const tool of TOOLS) results[tool.name].push(await run(tool, size, i));
    }
    const med = (tool: string, k: keyof Sample) => median(results[tool].map((s) => s[k]));
    for (const { name: tool } of TOOLS) {
      const runs = results[tool].map((s) => `${(s.readyMs / 1000).toFixed(2)}/${(s.convergedMs / 1000).toFixed(2)}`).join(" ");
      console.log(`${String(size).padEnd(6)}${tool.padEnd(WIDTH)}${fmt(med(tool, "readyMs"))}  ${fmt(med(tool, "convergedMs"))}${fmt(med(tool, "exitMs"))}   ${runs}`);
    }
    for (const { name: tool } of TOOLS.filter((t) => t.name !== "redis-cli")) {
      const ratio = (k: keyof Sample) => `${(med("redis-cli", k) / med(tool, k)).toFixed(1)}x`.padStart(9);
      console.log(`${"".padEnd(6)}${`cli / ${tool}`.padEnd(WIDTH)}${ratio("readyMs")}  ${ratio("convergedMs")}${ratio("exitMs")}`);
    }
  }
} finally {
  rmSync(process.env.REDIS_PILOT_HOME!, { recursive: true, force: true });
}
