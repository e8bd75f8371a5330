/**
 * What a hostile reply costs: a server answering `$99999999999` and streaming bytes.
 * Side by side: `redis-pilot cluster check` (the bundle), the same against a closed port
 * (the floor: Node plus our modules), and `redis-cli PING` against the same server
 * (stopped after CAP_S seconds, or once it holds CAP_MB). Prints each process's peak
 * RSS (VmHWM), how long it ran, and the bytes the server had streamed by then.
 * Run: npm run build && node dist/bench/hostile-reply.js
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { findRedisCli } from "../src/lab/redis-binary.js";
import { peakRss, startHostileServer, watchPeakRss } from "./hostile-server.js";

/** REDIS_PILOT_BUNDLE: another build to compare (e.g. one from before the limit). */
const BUNDLE = process.env.REDIS_PILOT_BUNDLE ?? fileURLToPath(new URL("../../bin/redis-pilot.cjs", import.meta.url));
const CAP_S = Number(process.env.CAP_S ?? 10);
const CAP_MB = Number(process.env.CAP_MB ?? 2048);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`.padStart(12);

async function measure(label: string, cmd: string, args: string[], sent: () => number): Promise<void> {
  const before = sent();
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  // The cap: redis-cli has none, so it is stopped by its pid (ours) when it passes time or memory.
  const guard = setInterval(() => {
    if (performance.now() - t0 > CAP_S * 1000 || (peakRss(child.pid!) ?? 0) > CAP_MB * 1024 * 1024) child.kill("SIGKILL");
  }, 20);
  const peak = await watchPeakRss(child.pid!, exited);
  clearInterval(guard);
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(44)} peak RSS ${mb(peak)}   ran ${(ms / 1000).toFixed(2).padStart(6)} s   streamed to it ${mb(sent() - before)}   ${stderr.trim().split("\n").pop()?.slice(0, 90) ?? ""}`);
}

/** One MCP server (stdio), CALLS cluster_check calls at the hostile server: its peak RSS before and after. */
async function measureMcp(address: string, calls: number): Promise<void> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BUNDLE, "mcp"], stderr: "ignore" });
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(transport);
  try {
    await client.callTool({ name: "lab_list", arguments: {} });
    const before = peakRss(transport.pid!) ?? 0;
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await client.callTool({ name: "cluster_check", arguments: { nodes: [address] } });
    const each = (performance.now() - t0) / calls;
    console.log(`${`MCP server, ${calls} cluster_check calls, hostile`.padEnd(44)} peak RSS ${mb(before)} before, ${mb(peakRss(transport.pid!) ?? 0)} after   ${each.toFixed(0)} ms per call`);
  } finally {
    await client.close();
  }
}

const hostile = await startHostileServer();
const [host, port] = hostile.address.split(":");
const RUNS = Number(process.argv[2] ?? 3);
try {
  for (let i = 0; i < RUNS; i++) {
    await measure("redis-pilot cluster check, closed port", process.execPath, [BUNDLE, "cluster", "check", "127.0.0.1:1"], hostile.sent);
    await measure("redis-pilot cluster check, hostile server", process.execPath, [BUNDLE, "cluster", "check", hostile.address], hostile.sent);
    for (const calls of [1, 10, 50]) await measureMcp(hostile.address, calls);
    await measure(`redis-cli PING, hostile (stopped at ${CAP_S} s / ${CAP_MB} MiB)`, findRedisCli(), ["-h", host, "-p", port, "PING"], hostile.sent);
  }
} finally {
  await hostile.close();
}
