/**
 * MCP server costs, side by side:
 *   1. cold start: spawn `redis-pilot mcp` -> initialize -> tools/list answered, for the
 *      esbuild bundle (the package's bin) and the plain tsc output, next to a bare
 *      `node -e ""` spawn, the floor no Node server goes under;
 *   2. a cluster_check on a 6-node lab: through MCP over stdio, through invokeTool
 *      in-process, and as the bare library calls (readClusterView + checkCluster).
 * Run: npm run bench:mcp [-- RUNS]. Uses its own REDIS_PILOT_HOME and removes its lab.
 */
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { envVariants } from "./node-env.js";

const RUNS = Number(process.argv[2] ?? 15);
const PLAIN = fileURLToPath(new URL("../src/cli.js", import.meta.url));
const BUNDLE = fileURLToPath(new URL("../../bin/redis-pilot.cjs", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "redis-pilot-bench-"));
process.env.REDIS_PILOT_HOME = home;
const env = { ...(process.env as Record<string, string>), REDIS_PILOT_HOME: home };
/** Entry points to time, with the environment each runs in; the first is also the server the cluster_check comparison talks to. */
const ENTRIES: [string, string, NodeJS.ProcessEnv][] = [
  ...(existsSync(BUNDLE) ? envVariants(env).map((v): [string, string, NodeJS.ProcessEnv] => [`bundle${v.label}`, BUNDLE, v.env]) : []),
  ["tsc output", PLAIN, env],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(10);
const row = (label: string, xs: number[]) =>
  console.log(`${label.padEnd(56)} median ${ms(median(xs))}   min ${ms(Math.min(...xs))}   max ${ms(Math.max(...xs))}`);

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function spawnClient([, cli, env] = ENTRIES[0]): Promise<{ client: Client; listMs: number }> {
  const t0 = performance.now();
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [cli, "mcp"], env: env as Record<string, string> }));
  await client.listTools();
  return { client, listMs: performance.now() - t0 };
}

/**
 * Spawn -> tools/list answered, on the wire: a bare JSON-RPC exchange, so the time is
 * the server's alone (the SDK Client also compiles every output schema on listTools).
 */
function wireColdStart([, cli, env]: (typeof ENTRIES)[number]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, "mcp"], { env, stdio: ["pipe", "pipe", "ignore"] });
  const send = (m: object) => child.stdin.write(JSON.stringify({ jsonrpc: "2.0", ...m }) + "\n");
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const id = (JSON.parse(line) as { id?: number }).id;
      if (id === 1) {
        send({ method: "notifications/initialized" });
        send({ id: 2, method: "tools/list" });
      } else if (id === 2) {
        resolve(performance.now() - t0);
        child.kill();
      }
    });
    send({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } });
  });
}

async function coldStart(): Promise<void> {
  const node = envVariants().map(() => [] as number[]);
  const wire = ENTRIES.map(() => [] as number[]);
  const sdk = ENTRIES.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) {
    for (const [k, v] of envVariants().entries()) {
      const t0 = performance.now();
      spawnSync(process.execPath, ["-e", ""], { env: v.env });
      node[k].push(performance.now() - t0);
    }
    for (const [k, entry] of ENTRIES.entries()) {
      wire[k].push(await wireColdStart(entry));
      const s = await spawnClient(entry);
      sdk[k].push(s.listMs);
      await s.client.close();
    }
  }
  console.log(`\ncold start (${RUNS} runs each, interleaved)`);
  for (const [k, v] of envVariants().entries()) row(`node -e ''${v.label} (spawn to exit)`, node[k]);
  for (const [k, [label]] of ENTRIES.entries()) {
    row(`${label}: spawn -> tools/list answered (raw)`, wire[k]);
    row(`${label}: spawn -> tools/list (SDK Client)`, sdk[k]);
  }
}

async function checkOverhead(): Promise<void> {
  const [{ invokeTool }, { clusterCheck }, { createResolver }, { readClusterView }, { checkCluster }] = await Promise.all([
    import("../src/registry/invoke.js"),
    import("../tools/cluster/cluster-check.js"),
    import("../src/targets/resolver.js"),
    import("../src/topology/read-cluster-view.js"),
    import("../src/checks/cluster-checks.js"),
  ]);
  const { client } = await spawnClient();
  try {
    const lab = "bench-mcp";
    for (const [name, args] of [["lab_up", { name: lab, nodes: 6 }], ["cluster_create", { lab, replicas: 1 }]] as const) {
      const r = await client.callTool({ name, arguments: args });
      if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
    }
    const targets = createResolver({ allowAdhocMutations: false });
    const resolved = await targets.resolve({ lab }, { mutate: false });
    const ctx = { progress: () => {}, signal: new AbortController().signal, targets };
    const viaMcp: number[] = [];
    const viaInvoke: number[] = [];
    const viaLibrary: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      viaMcp.push((await time(() => client.callTool({ name: "cluster_check", arguments: { lab } })))[0]);
      viaInvoke.push((await time(() => invokeTool(clusterCheck as never, { lab }, { ctx })))[0]);
      viaLibrary.push((await time(async () => checkCluster(await readClusterView(resolved.addresses, { access: resolved.access }))))[0]);
    }
    console.log(`\ncluster_check on a 6-node lab (${RUNS} runs each, interleaved)`);
    row("MCP tools/call over stdio", viaMcp);
    row("invokeTool in-process", viaInvoke);
    row("readClusterView + checkCluster", viaLibrary);
    console.log(`${"MCP overhead over invokeTool (medians)".padEnd(56)}        ${ms(median(viaMcp) - median(viaInvoke))}`);
    console.log(`${"MCP overhead over the library (medians)".padEnd(56)}        ${ms(median(viaMcp) - median(viaLibrary))}`);
    await client.callTool({ name: "lab_down", arguments: { name: lab, confirm: true } });
  } finally {
    await client.close();
  }
}

try {
  await coldStart();
  await checkOverhead();
} finally {
  // Whatever a failed run left behind: every lab under our own home, stopped by pid.
  const { labDown, listLabs } = await import("../src/lab/index.js");
  for (const lab of await listLabs()) await labDown(lab.name);
  rmSync(home, { recursive: true, force: true });
}
