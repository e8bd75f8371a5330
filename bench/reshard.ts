/**
 * bench/reshard: redis-pilot and redis-cli side by side on the same fresh clusters:
 * 3 masters (node-timeout 5000), 200 000 keys x 100 B spread over all slots, a fourth
 * empty node started with them. Fresh lab per tool, scenario and run; both tools run as
 * processes, wall time from spawn to exit.
 *   data       reshard 4096 slots (about 50 000 keys) from the first master to the second
 *   empty      the same 4096 slots, with no key in them (the 200 000 keys elsewhere)
 *   rebalance  add the fourth node as a master, then rebalance with use-empty-masters;
 *              redis-cli's add-node returns before the node is usable (a rebalance
 *              started then can fail half-way), so for it the "wait" column is the time
 *              until its own check is clean and the new node reports cluster_state ok
 * redis-pilot's JSON output also gives the time spent moving (moveMs) and verifying,
 * and `redis-pilot --version` gives the node start-up both numbers include. Every run
 * ends with redis-cli --cluster check and a key count; a failed one is reported.
 *
 * Usage: npm run bench:reshard -- [--runs 3] [--keys 200000] [--pipeline 10] [--only redis-pilot]
 *                                 [--scenarios data,empty,rebalance]
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";

const execFileP = promisify(execFile);
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const RUNS = Number(arg("runs", "3"));
const KEYS = Number(arg("keys", "200000"));
const PIPELINE = arg("pipeline", "10");
const ONLY = arg("only", "");
const SCENARIOS = arg("scenarios", "data,empty,rebalance").split(",");
const BIN = join(new URL("../..", import.meta.url).pathname, "bin", "redis-pilot.cjs");

process.env.REDIS_PILOT_HOME = mkdtempSync(join(tmpdir(), "redis-pilot-bench-reshard-"));
const { labUp, labDown } = await import("../src/lab/index.js");
const { findRedisCli } = await import("../src/lab/redis-binary.js");
const { createCluster } = await import("../src/ops/cluster-create/index.js");
const { uniformAccess } = await import("../src/redis/node-access.js");
const { parseClusterNodes } = await import("../src/redis/parse-cluster-nodes.js");
const { keySlot } = await import("../src/redis/slots.js");
const redisCli = findRedisCli();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const VALUE = "v".repeat(100);

interface Timed {
  ms: number;
  code: number;
  out: string;
}

function timed(cmd: string, args: string[]): Promise<Timed> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ ms: performance.now() - t0, code: code ?? -1, out }));
  });
}

interface Fixture {
  name: string;
  members: string[];
  spare: string;
  ids: { id: string; address: string; first: number }[];
}

async function fixture(name: string, emptyRange: boolean): Promise<Fixture> {
  const lab = await labUp({ name, nodes: 4, nodeTimeoutMs: 5000 });
  const addresses = lab.nodes.map((n) => `${n.host}:${n.port}`);
  const members = addresses.slice(0, 3);
  await createCluster({ addresses: members, replicas: 0, access: uniformAccess({}) }, { progress: () => {} });
  const clients = members.map((a) => new Redis({ host: a.split(":")[0], port: Number(a.split(":")[1]) }));
  const entries = parseClusterNodes(String(await clients[0].call("CLUSTER", "NODES")));
  const ids = entries.map((e) => ({ id: e.id, address: `${e.host}:${e.port}`, first: e.slots[0]?.start ?? 99999 })).sort((a, b) => a.first - b.first);
  const owner = new Array<number>(16384);
  entries.forEach((e) => e.slots.forEach((r) => owner.fill(members.indexOf(`${e.host}:${e.port}`), r.start, r.end + 1)));
  let pipes = clients.map((c) => c.pipeline());
  let written = 0;
  for (let i = 0; written < KEYS; i++) {
    const k = `key:${i}`;
    const s = keySlot(k);
    if (emptyRange && s < 4096) continue;
    pipes[owner[s]].set(k, VALUE);
    if (++written % 20_000 === 0) {
      await Promise.all(pipes.map((p) => p.exec()));
      pipes = clients.map((c) => c.pipeline());
    }
  }
  await Promise.all(pipes.map((p) => p.exec()));
  clients.forEach((c) => c.disconnect());
  return { name, members, spare: addresses[3], ids };
}

async function judge(f: Fixture, extra: string[] = []): Promise<string> {
  const { stdout } = await execFileP(redisCli, ["--cluster", "check", f.members[0]], { timeout: 20_000 }).catch((e) => ({ stdout: String(e.stdout ?? "") }));
  const ok = !/\[ERR\]|\[WARNING\]/.test(stdout);
  const nodes = [...f.members, ...extra];
  const sizes = await Promise.all(nodes.map(async (a) => {
    const c = new Redis({ host: a.split(":")[0], port: Number(a.split(":")[1]) });
    try {
      return await c.dbsize();
    } finally {
      c.disconnect();
    }
  }));
  const total = sizes.reduce((x, y) => x + y, 0);
  return ok && total === KEYS ? "" : `check ${ok ? "ok" : "FAILED"}, ${total}/${KEYS} keys`;
}

async function stateOk(address: string): Promise<boolean> {
  const c = new Redis({ host: address.split(":")[0], port: Number(address.split(":")[1]) });
  try {
    return String(await c.call("CLUSTER", "INFO")).includes("cluster_state:ok");
  } finally {
    c.disconnect();
  }
}

/** How many slots a node serves, from its own CLUSTER NODES. */
async function slotsOf(address: string): Promise<number> {
  const c = new Redis({ host: address.split(":")[0], port: Number(address.split(":")[1]) });
  try {
    const self = parseClusterNodes(String(await c.call("CLUSTER", "NODES"))).find((e) => e.flags.includes("myself"));
    return (self?.slots ?? []).reduce((n, r) => n + r.end - r.start + 1, 0);
  } finally {
    c.disconnect();
  }
}

interface Row {
  wall: number;
  move?: number;
  addNode?: number;
  wait?: number;
  problem: string;
}

async function reshardRun(tool: string, f: Fixture): Promise<Row> {
  const [a, b] = f.ids;
  const r =
    tool === "redis-cli"
      ? await timed(redisCli, ["--cluster", "reshard", a.address, "--cluster-from", a.id, "--cluster-to", b.id, "--cluster-slots", "4096", "--cluster-yes", "--cluster-pipeline", PIPELINE])
      : await timed(BIN, ["cluster", "reshard", a.address, "--from", a.id, "--to", b.id, "--slots", "4096", "--yes", "--json"]);
  const move = tool === "redis-pilot" && r.code === 0 ? JSON.parse(r.out.slice(r.out.indexOf("{"))).timings.moveMs : undefined;
  return { wall: r.ms, move, problem: r.code ? `exit ${r.code}: ${r.out.split("\n").slice(-3).join(" ")}` : await judge(f) };
}

async function rebalanceRun(tool: string, f: Fixture): Promise<Row> {
  if (tool === "redis-cli") {
    const add = await timed(redisCli, ["--cluster", "add-node", f.spare, f.members[0]]);
    if (add.code) return { wall: -1, addNode: add.ms, problem: `add-node exit ${add.code}` };
    // redis-cli returns before the new node is usable, and a rebalance started then can fail
    // half-way with slots left open; wait, as an operator would, until its check is clean,
    // shows the new node, and the new node reports cluster_state ok.
    const t0 = performance.now();
    for (let i = 0; i < 600; i++) {
      const c = await timed(redisCli, ["--cluster", "check", f.members[0]]);
      if (c.code === 0 && !/\[ERR\]|\[WARNING\]/.test(c.out) && c.out.includes(f.spare) && (await stateOk(f.spare))) break;
      await sleep(100);
    }
    const wait = performance.now() - t0;
    const r = await timed(redisCli, ["--cluster", "rebalance", f.members[0], "--cluster-use-empty-masters", "--cluster-pipeline", PIPELINE]);
    const slots = await slotsOf(f.spare);
    const problem = r.code || slots === 0 ? `rebalance exit ${r.code}, new node has ${slots} slots: ${r.out.replace(/\x1b\[[0-9;]*m/g, "").split("\n").filter((l) => l.trim() && !/^#+$/.test(l)).slice(-2).join(" | ")}` : await judge(f, [f.spare]);
    return { wall: r.ms, addNode: add.ms, wait, problem };
  }
  const add = await timed(BIN, ["cluster", "add-node", f.spare, f.members[0], "--yes", "--json"]);
  if (add.code) return { wall: -1, addNode: add.ms, problem: `add-node exit ${add.code}: ${add.out.slice(-200)}` };
  const r = await timed(BIN, ["cluster", "rebalance", f.members[0], "--use-empty-masters", "--yes", "--json"]);
  const move = r.code === 0 ? JSON.parse(r.out.slice(r.out.indexOf("{"))).timings.moveMs : undefined;
  return { wall: r.ms, move, addNode: add.ms, wait: 0, problem: r.code ? `exit ${r.code}: ${r.out.slice(-200)}` : await judge(f, [f.spare]) };
}

const TOOLS = ["redis-pilot", "redis-cli"].filter((t) => !ONLY || t === ONLY);
// Ctrl-C: stop every lab this bench started (by pid, through labDown), then leave.
const { listLabs } = await import("../src/lab/index.js");
process.once("SIGINT", () => {
  void listLabs()
    .then((labs) => Promise.allSettled(labs.map((l) => labDown(l.name))))
    .finally(() => process.exit(130));
});
const median = (xs: number[]) => (xs.length ? [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] : NaN);
const s = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) || ms < 0 ? "-" : `${(ms / 1000).toFixed(3)} s`);

const startup = await Promise.all([0, 1, 2].map(() => timed(BIN, ["--version"])));
console.log(`redis-pilot start-up (--version): ${s(median(startup.map((t) => t.ms)))}; redis-cli pipeline ${PIPELINE}; ${KEYS} keys x 100 B; ${RUNS} run(s), median`);
console.log(`${"scenario".padEnd(11)}${"tool".padEnd(13)}${"wall".padStart(9)}${"moving".padStart(9)}${"add-node".padStart(10)}${"wait".padStart(9)}   runs (wall)`);
let n = 0;
for (const scenario of SCENARIOS) {
  for (const tool of TOOLS) {
    const rows: Row[] = [];
    for (let i = 0; i < RUNS; i++) {
      const f = await fixture(`bench-rs-${n++}`, scenario === "empty");
      try {
        rows.push(scenario === "rebalance" ? await rebalanceRun(tool, f) : await reshardRun(tool, f));
      } finally {
        await labDown(f.name);
      }
    }
    const pick = (k: keyof Row) => median(rows.map((r) => r[k] as number).filter((x) => typeof x === "number" && x >= 0));
    console.log(
      `${scenario.padEnd(11)}${tool.padEnd(13)}${s(pick("wall")).padStart(9)}${s(pick("move")).padStart(9)}${s(pick("addNode")).padStart(10)}${s(pick("wait")).padStart(9)}   ${rows.map((r) => s(r.wall)).join(" ")}`,
    );
    for (const r of rows.filter((x) => x.problem)) console.log(`  ${tool} ${scenario}: ${r.problem}`);
  }
}
