// cluster fix against a node that goes silent on the slot scan: a real master announced
// (cluster-announce-port) behind a TCP relay that stops relaying a connection once it
// carries COUNTKEYSINSLOT, as a busy or paused node would. The scan retries on a fresh
// connection with backoff, then stops with a typed error in each front end's words,
// having changed nothing; when the node answers again on a retry, the fix completes.
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";
import { clusterSnapshot, compareKeys, dataCluster, type DataCluster } from "./helpers/cluster-data.js";
import { invokeTool } from "../src/registry/invoke.js";
import type { AnyTool } from "../src/registry/tool.js";
import { createResolver } from "../src/targets/resolver.js";
import { parseClusterNodes } from "../src/redis/parse-cluster-nodes.js";
import { cliWords } from "../src/cli/words.js";
import { allTools } from "../tools/index.js";
import { clusterFix } from "../tools/cluster/cluster-fix.js";

useTempLabHome();

/** A relay to host:port; the first `stallFirst` connections that send COUNTKEYSINSLOT go silent for good. */
interface Relay {
  port: number;
  stallFirst: number;
  stalled: number;
  close(): Promise<void>;
}

async function startRelay(host: string, port: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  const relay: Relay = { port: 0, stallFirst: 0, stalled: 0, close: async () => {} };
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host, port });
    let silent = false;
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("data", (d) => {
      if (!silent && relay.stalled < relay.stallFirst && d.includes("COUNTKEYSINSLOT")) {
        silent = true;
        relay.stalled++;
      }
      if (!silent) upstream.write(d);
    });
    upstream.on("data", (d) => {
      if (!silent) client.write(d);
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  relay.port = (server.address() as { port: number }).port;
  relay.close = () => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(() => r()));
  };
  return relay;
}

let c: DataCluster;
let relay: Relay;
let a: { id: string; host: string; port: number; slots: { start: number; end: number }[] };
let viaRelay: string;
// As the CLI operator runs it (HOST:PORT arguments): the relay's address belongs to no lab.
const ctx = () => ({ progress: () => {}, signal: new AbortController().signal, targets: createResolver({ allowAdhocMutations: true }) });
const fix = (args: Record<string, unknown>, words?: ReturnType<typeof cliWords>) =>
  invokeTool(clusterFix as unknown as AnyTool, { nodes: c.members.map((m) => (m === `${a.host}:${a.port}` ? viaRelay : m)), confirm: true, timeoutMs: 1500, ...args }, { ctx: ctx(), ...(words ? { words } : {}) });

beforeAll(async () => {
  c = await dataCluster("fixslow", { nodes: 3, replicas: 0, keys: 600 });
  const masters = parseClusterNodes(String(await c.client(c.members[0]).call("CLUSTER", "NODES")))
    .filter((e) => e.role === "master")
    .sort((x, y) => x.port - y.port);
  a = masters[0];
  const b = masters[1];
  relay = await startRelay(a.host, a.port);
  viaRelay = `${a.host}:${relay.port}`;
  // Every node (and so every client of the cluster) now reaches A through the relay; the bus stays direct.
  const direct = c.client(`${a.host}:${a.port}`);
  await direct.call("CONFIG", "SET", "cluster-announce-bus-port", String(a.port + 10000));
  await direct.call("CONFIG", "SET", "cluster-announce-port", String(relay.port));
  for (let i = 0; ; i++) {
    const seen = await Promise.all(c.members.map(async (m) => String(await c.client(m).call("CLUSTER", "NODES")).includes(`:${relay.port}@`)));
    if (seen.every(Boolean)) break;
    if (i > 200) throw new Error("the announced port did not spread");
    await new Promise((r) => setTimeout(r, 50));
  }
  // Something to fix: a slot of A left MIGRATING with no importer (A keeps it).
  await direct.call("CLUSTER", "SETSLOT", String(a.slots[0].start), "MIGRATING", b.id);
});

afterAll(async () => {
  const direct = c?.client(`${a.host}:${a.port}`);
  await direct?.call("CONFIG", "SET", "cluster-announce-port", "0").catch(() => undefined);
  await relay?.close();
  c?.close();
});

describe("cluster fix when a node does not answer the slot scan", () => {
  it("retries, then stops with node_busy in MCP and CLI words, changing nothing", async () => {
    relay.stalled = 0;
    relay.stallFirst = 1_000;
    const before = await clusterSnapshot(c.members, c.client);
    const mcp = await fix({});
    expect(mcp.ok).toBe(false);
    if (mcp.ok) return;
    expect(mcp.error.code).toBe("node_busy");
    expect(mcp.error.message).toContain(viaRelay);
    expect(mcp.error.message).toMatch(/no reply within 1500 ms, 3 tries\), so nothing was changed\.$/);
    expect(mcp.error.next).toContain("call cluster_fix again");
    expect(mcp.error.next).toContain("raise timeoutMs");
    expect(mcp.summary).not.toMatch(/Internal error|bug/);
    expect(relay.stalled).toBe(3);
    expect(await clusterSnapshot(c.members, c.client)).toEqual(before);

    relay.stalled = 0;
    const cli = await fix({}, cliWords(allTools));
    expect(cli.ok).toBe(false);
    if (cli.ok) return;
    expect(cli.error.next).toContain("run the command again");
    expect(cli.error.next).toContain("raise --timeout");
    expect(cli.error.next).not.toContain("cluster_fix");
    expect(await clusterSnapshot(c.members, c.client)).toEqual(before);
  });

  it("a node that answers on a retry: the fix completes and redis-cli agrees", async () => {
    relay.stalled = 0;
    relay.stallFirst = 1;
    const r = await fix({});
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(relay.stalled).toBe(1);
    expect(r.ok && (r.output.fixes as { kind: string }[]).map((f) => f.kind)).toEqual(["open-slots"]);
    const check = await redisCliClusterCheck(c.members[0]);
    expect(check.ok, check.output).toBe(true);
    expect(await compareKeys(c.members, c.expected, c.client)).toEqual([]);
  });
});
