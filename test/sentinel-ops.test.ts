// Sentinel ops through the registry on real redis-server and redis-sentinel processes:
// check, monitor, SENTINEL FAILOVER and a planned switchover both verified by every
// sentinel agreeing; a killed master whose failover the sentinels complete while an
// ioredis client (the client-settings tool's settings) keeps writing; and bad inputs.
import { describe, expect, it } from "vitest";
import { allTools } from "../tools/index.js";
import { clientSettings } from "../src/drills/client-settings.js";
import { closeClient, openClient } from "../src/drills/workload.js";
import { labFault } from "../src/lab/faults/index.js";
import { loadLab } from "../src/lab/index.js";
import { formatAddress } from "../src/redis/address.js";
import { NodePool } from "../src/redis/connection.js";
import { invokeTool, type InvokeResult } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { masterAddresses, readSentinelView } from "../src/topology/sentinel-view.js";
import { useTempLabHome } from "./helpers/env.js";

useTempLabHome();

function call(name: string, args: Record<string, unknown>): Promise<InvokeResult> {
  const tool = allTools.find((t) => t.name === name)!;
  return invokeTool(tool, args, { ctx: { progress: () => {}, signal: new AbortController().signal, targets: createResolver({ allowAdhocMutations: true }) } });
}

async function ok(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await call(name, args);
  if (process.env.RP_TIMING) process.stderr.write(`${name} ${r.durationMs} ms\n`);
  if (!r.ok) throw new Error(`${name}: ${r.summary}`);
  return r.output;
}

/**
 * 1 master + 1 replica + 3 sentinels built through the tools (lab_up with sentinels,
 * replication_attach, sentinel_monitor), in one zone: partitions that other test files cut
 * between zones (iptables, machine-wide) cannot reach it. The template is tested in lab-templates.
 */
async function sentinelLab(name: string): Promise<{ a: string; b: string; sentinels: string[] }> {
  await ok("lab_up", { name, nodes: 2, sentinels: 3, zones: 1, cluster: false, config: { "repl-diskless-sync-delay": "0" } });
  const lab = (await loadLab(name))!;
  const [a, b] = lab.nodes.map((n) => formatAddress(n));
  await ok("replication_attach", { lab: name, confirm: true });
  const monitored = await ok("sentinel_monitor", { lab: name, downAfterMs: 1000, failoverTimeoutMs: 10_000 });
  expect(monitored).toMatchObject({ applied: true, master: a, quorum: 2 });
  return { a, b, sentinels: lab.sentinels!.map((s) => formatAddress(s)) };
}

/** Waits until `replica` replicates from `master` with its link up (as the master's read reports it). */
async function following(replica: string, master: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const r = await ok("replication_check", { nodes: [master] });
    if ((r.nodes as { address: string; master?: string; link?: string }[]).some((n) => n.address === replica && n.master === master && n.link === "up")) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${replica} did not follow ${master} with its link up`);
}

async function sentinelMasters(sentinels: string[]): Promise<string[]> {
  const pool = new NodePool();
  try {
    return [...masterAddresses(await readSentinelView(sentinels, { pool, name: "mymaster", discover: false }), "mymaster").values()].map(String);
  } finally {
    await pool.close();
  }
}

describe("sentinel ops on an active-passive lab", () => {
  it("check, SENTINEL FAILOVER verified, planned switchover with sentinels agreeing, client settings", async () => {
    const { a, b, sentinels } = await sentinelLab("sent-ops");

    const check = await ok("sentinel_check", { lab: "sent-ops" });
    expect(check.ok).toBe(true);
    expect((check.sentinels as { master: string }[]).map((s) => s.master)).toEqual([a, a, a]);

    const failover = await ok("sentinel_failover", { lab: "sent-ops", confirm: true });
    expect(failover).toMatchObject({ applied: true, oldMaster: a, newMaster: b });
    expect(await sentinelMasters(sentinels)).toEqual([b, b, b]);

    // Sentinels may still be re-pointing the old master (+fix-slave-config); a switchover refuses a replica whose link is down.
    await following(a, b);
    const sw = await ok("replication_switchover", { lab: "sent-ops", master: b, to: a });
    expect(sw.applied).toBe(true);
    expect(await sentinelMasters(sentinels)).toEqual([a, a, a]);
    expect((await ok("sentinel_check", { lab: "sent-ops" })).ok).toBe(true);

    const settings = await ok("sentinel_client_settings", { nodes: sentinels });
    expect(settings.name).toBe("mymaster");
    expect(settings.ioredis).toMatch(/failoverDetector: true/);
    expect(settings.ioredis).toMatch(/reconnectOnError: \(err\) => \(err\.message\.startsWith\("READONLY"\)/);
    expect((settings.others as { client: string }[]).map((c) => c.client)).toEqual(["redis-py", "Jedis", "go-redis"]);
  });

  it("kill -9 of the master: the sentinels fail over, an ioredis client keeps writing, the old master rejoins as a replica", { timeout: 120_000 }, async () => {
    const { a, b, sentinels } = await sentinelLab("sent-kill");
    const client = await openClient(clientSettings({ kind: "sentinel", sentinels, name: "mymaster" }));
    try {
      await client.set("before", "1");
      await labFault("sent-kill", a, "kill");
      // Each try waits at most commandTimeout (1 s); the client follows the sentinels to b once they promote it.
      let written = false;
      let lastError = "";
      const deadline = Date.now() + 45_000;
      while (!written && Date.now() < deadline) {
        written = await client.set("after", "2").then(
          () => true,
          (err: Error) => ((lastError = err.message), false),
        );
        if (!written) await new Promise((res) => setTimeout(res, 50));
      }
      expect(written, `no write succeeded within 45 s; last error: ${lastError}`).toBe(true);
      expect(await client.get("before")).toBe("1");
      expect((client as { stream?: { remotePort?: number } }).stream?.remotePort).toBe(Number(b.split(":")[1]));
    } finally {
      await closeClient(client);
    }
    // The sentinel that did not lead the failover learns it from the others' hellos (every 2 s).
    let masters: string[] = [];
    for (let i = 0; i < 50 && masters.join() !== [b, b, b].join(); i++) {
      masters = await sentinelMasters(sentinels);
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(masters).toEqual([b, b, b]);
    // The old master comes back (empty, as a master) and the sentinels turn it into a replica of the new one:
    // they wait 8 s of it reporting the wrong role (4 hello periods) and see it in their 10 s INFO round.
    await labFault("sent-kill", a, "start");
    const state = await loadLab("sent-kill");
    expect(state?.nodes[0].fault).toBeUndefined();
    await following(a, b);
  });

  it("bad inputs: a quorum larger than the sentinels, an unknown master name, a non-sentinel address", async () => {
    const { a, sentinels } = await sentinelLab("sent-bad");

    const quorum = await call("sentinel_monitor", { lab: "sent-bad", master: a, name: "other", quorum: 4 });
    expect(quorum.ok ? "" : quorum.error.message).toBe("A quorum of 4 can never be reached with 3 sentinels: the master would never be judged down.");

    const unknown = await call("sentinel_failover", { lab: "sent-bad", name: "nosuch", confirm: true });
    expect(unknown.ok ? "" : unknown.error.message).toBe("No sentinel monitors a master named 'nosuch' (they monitor: mymaster).");

    const notSentinel = await call("sentinel_check", { nodes: [a] });
    expect(notSentinel.ok ? "" : notSentinel.error.message).toMatch(/is not a sentinel \(redis_mode is standalone\)\.$/);

    expect(await sentinelMasters(sentinels)).toEqual([a, a, a]);
    expect((await ok("sentinel_check", { lab: "sent-bad" })).ok).toBe(true);

    // Monitoring a watched name again changes only what is given: down-after 1000 and failover-timeout 10000 stay.
    const again = await ok("sentinel_monitor", { lab: "sent-bad", quorum: 3 });
    expect(again).toMatchObject({ quorum: 3, sentinels: [{ action: "update" }, { action: "update" }, { action: "update" }] });
    expect(again.configLines).toEqual(expect.arrayContaining(["sentinel down-after-milliseconds mymaster 1000", "sentinel failover-timeout mymaster 10000"]));
    const pool = new NodePool();
    try {
      const view = await readSentinelView(sentinels, { pool, name: "mymaster", discover: false });
      expect(view.sentinels.map((s) => [s.masters.mymaster.master.quorum, s.masters.mymaster.master.downAfterMs, s.masters.mymaster.master.failoverTimeoutMs])).toEqual([[3, 1000, 10_000], [3, 1000, 10_000], [3, 1000, 10_000]]);
    } finally {
      await pool.close();
    }
  });
});
