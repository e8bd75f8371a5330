/**
 * bench/create: `redis-pilot cluster create` vs `redis-cli --cluster create
 * --cluster-replicas 1`, side by side, on fresh sets of empty nodes (node-timeout
 * 15000, started a few seconds before timing begins so neither pays the start-up delay).
 *
 *   ready     = redis-cli --cluster check passes and cluster_state:ok on every node
 *   converged = every node's CLUSTER NODES shows every replica under a master
 *
 * Both are measured from the moment the command is spawned, by an outside poller. By
 * default it polls from the first change to any node's nodes.conf (--observer passive);
 * --observer active polls from spawn.
 *   1st cmd   = the first SET-CONFIG-EPOCH any node logged (the tool's first round of
 *               commands): spawn to first command, the part start-up decides
 *   cmd>ready = ready minus 1st cmd: the servers' part (0.5 s rejoin floor for us)
 *   last ok   = the last "Cluster state changed: ok" any node logged
 *
 * When the environment sets NODE_EXTRA_CA_CERTS (which Node 20 parses at every start),
 * redis-pilot is timed with it and without it. --compare BIN adds rows for another
 * build's launcher (e.g. a worktree of an older commit), run in turn with this one.
 *
 * Usage: npm run bench:create -- [--runs N] [--sizes 6,12] [--settle MS] [--only redis-pilot]
 *                                [--observer passive|active] [--poll MS] [--compare BIN]
 */
import { spawn, execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, watch } from "node:fs";
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
const POLL_MS = Number(arg("poll", "5"));
const OBSERVER = arg("observer", "passive");
if (OBSERVER !== "passive" && OBSERVER !== "active") throw new Error("--observer is passive or active");
// The command users run (package.json "bin").
const BIN = join(new URL("../..", import.meta.url).pathname, "bin", "redis-pilot.cjs");

process.env.REDIS_PILOT_HOME = mkdtempSync(join(tmpdir(), "redis-pilot-bench-"));
const { labUp, labDown } = await import("../src/lab/index.js");
const { findRedisCli } = await import("../src/lab/redis-binary.js");
const redisCli = findRedisCli();

interface Sample {
  readyMs: number;
  convergedMs: number;
  exitMs: number;
  /** From the nodes' own logs (ms clock, same machine): first SET-CONFIG-EPOCH, last "state changed: ok". */
  firstCommandMs: number;
  lastOkMs: number;
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

/**
 * Where the time went, from each node's redis.log: both tools send CLUSTER SET-CONFIG-EPOCH
 * in their first round of commands, and each node logs when its cluster state turns ok.
 * A master turns ok 0.5 s or more after its first command (the rejoin delay), so the time
 * before that command is the part a tool controls.
 */
function fromLogs(nodeDirs: string[], spawnedAt: number): { firstCommandMs: number; lastOkMs: number } {
  const at = (line: string) => new Date(line.replace(/^\d+:\w /, "").slice(0, 24)).getTime() - spawnedAt;
  const lines = nodeDirs.flatMap((d) => readFileSync(join(d, "redis.log"), "utf8").split("\n"));
  const epochs = lines.filter((l) => l.includes("configEpoch set to")).map(at);
  const oks = lines.filter((l) => l.includes("Cluster state changed: ok")).map(at);
  return { firstCommandMs: epochs.length ? Math.min(...epochs) : -1, lastOkMs: oks.length ? Math.max(...oks) : -1 };
}

/**
 * Resolves when any node's nodes.conf changes (Redis saves it on the first ADDSLOTS), or
 * after timeoutMs. inotify, so waiting costs the servers and the CPU nothing.
 */
function firstNodeChange(nodeDirs: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const watchers = nodeDirs.map((d) => watch(d, (_, file) => file === "nodes.conf" && done()));
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      watchers.forEach((w) => w.close());
      resolve();
    }
  });
}

async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv, nodes: { address: string; dir: string }[], replicas: number): Promise<Omit<Sample, "firstCommandMs" | "lastOkMs"> & { spawnedAt: number }> {
  const addresses = nodes.map((n) => n.address);
  const clients = addresses.map((a) => new Redis({ host: a.split(":")[0], port: Number(a.split(":")[1]), lazyConnect: false }));
  await Promise.all(clients.map((c) => c.ping()));
  // Nothing can be ready or converged before the tool first changes a node, so the
  // passive observer starts polling only then. Polling from spawn (--observer active)
  // competes for the CPU (2 cores here) with the start-up it is timing.
  const changed = OBSERVER === "passive" ? firstNodeChange(nodes.map((n) => n.dir), 10_000) : Promise.resolve();
  const t0 = performance.now();
  const spawnedAt = Date.now();
  const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "ignore"], env });
  let exitMs = -1;
  const exited = new Promise<void>((resolve) => child.on("exit", () => ((exitMs = performance.now() - t0), resolve())));
  await changed;
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
  return { readyMs, convergedMs, exitMs, spawnedAt };
}

interface Row {
  tool: string;
  cmd: string;
  args: (addresses: string[]) => string[];
  env: NodeJS.ProcessEnv;
}
const pilotArgs = (addresses: string[]) => ["cluster", "create", ...addresses, "--replicas", "1", "--yes"];
const COMPARE = arg("compare", "");
const pilots = (label: string, bin: string): Row[] => envVariants().map((v) => ({ tool: `${label}${v.label}`, cmd: bin, args: pilotArgs, env: v.env }));
// --only redis-pilot: skip redis-cli (and its ratios) for a quick run.
const ONLY = arg("only", "");
const ROWS: Row[] = [
  ...pilots("redis-pilot", BIN),
  ...(COMPARE ? pilots("compared", COMPARE) : []),
  { tool: "redis-cli", cmd: redisCli, args: (a: string[]) => ["--cluster", "create", ...a, "--cluster-replicas", "1", "--cluster-yes"], env: process.env },
].filter((r) => !ONLY || r.tool.startsWith(ONLY));
const TOOLS = ROWS.map((r) => r.tool);
if (COMPARE) console.log(`compared: ${COMPARE}`);

async function run(row: Row, size: number, i: number): Promise<Sample> {
  const name = `bench-${ROWS.indexOf(row)}-${size}-${i}`;
  const lab = await labUp({ name, nodes: size, nodeTimeoutMs: 15000 });
  const nodes = lab.nodes.map((n) => ({ address: `${n.host}:${n.port}`, dir: n.dir }));
  const addresses = nodes.map((n) => n.address);
  try {
    await sleep(SETTLE_MS);
    const m = await measure(row.cmd, row.args(addresses), row.env, nodes, size / 2);
    return { ...m, ...fromLogs(nodes.map((n) => n.dir), m.spawnedAt) };
  } finally {
    await labDown(name);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms < 0 ? "n/a" : `${(ms / 1000).toFixed(3)} s`).padStart(9);

console.log(`cluster create, ${RUNS} run(s) each, median; nodes started ${SETTLE_MS} ms before timing; node-timeout 15000; ${OBSERVER} observer, polls every ${POLL_MS} ms`);
const WIDTH = Math.max(...TOOLS.map((t) => t.length)) + 8;
console.log(
  `${"nodes".padEnd(6)}${"tool".padEnd(WIDTH)}${"ready".padStart(9)}${"converged".padStart(11)}${"exit".padStart(9)}${"1st cmd".padStart(10)}${"cmd>ready".padStart(10)}${"last ok".padStart(10)}   runs (ready/converged)`,
);
try {
  for (const size of SIZES) {
    const results: Record<string, Sample[]> = Object.fromEntries(TOOLS.map((t) => [t, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const row of ROWS) results[row.tool].push(await run(row, size, i));
    }
    const med = (tool: string, k: keyof Sample) => median(results[tool].map((s) => s[k]));
    for (const tool of TOOLS) {
      const runs = results[tool].map((s) => `${(s.readyMs / 1000).toFixed(2)}/${(s.convergedMs / 1000).toFixed(2)}`).join(" ");
      const toReady = median(results[tool].map((s) => s.readyMs - s.firstCommandMs));
      const logs = `${fmt(med(tool, "firstCommandMs")).padStart(10)}${fmt(toReady).padStart(10)}${fmt(med(tool, "lastOkMs")).padStart(10)}`;
      console.log(`${String(size).padEnd(6)}${tool.padEnd(WIDTH)}${fmt(med(tool, "readyMs"))}  ${fmt(med(tool, "convergedMs"))}${fmt(med(tool, "exitMs"))}${logs}   ${runs}`);
    }
    for (const tool of TOOLS.filter((t) => t !== "redis-cli" && results["redis-cli"])) {
      const ratio = (k: keyof Sample) => `${(med("redis-cli", k) / med(tool, k)).toFixed(1)}x`.padStart(9);
      console.log(`${"".padEnd(6)}${`cli / ${tool}`.padEnd(WIDTH)}${ratio("readyMs")}  ${ratio("convergedMs")}${ratio("exitMs")}`);
    }
  }
} finally {
  rmSync(process.env.REDIS_PILOT_HOME!, { recursive: true, force: true });
}
