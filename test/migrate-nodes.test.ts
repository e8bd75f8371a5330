// add-node, failover and del-node on real servers, each followed by redis-cli --cluster
// check and a full key/value comparison; refusals change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";
import { clusterSnapshot, compareKeys, dataCluster, type DataCluster } from "./helpers/cluster-data.js";
import { invokeTool } from "../src/registry/invoke.js";
import type { AnyTool } from "../src/registry/tool.js";
import { createResolver } from "../src/targets/resolver.js";
import { parseClusterNodes } from "../src/redis/parse-cluster-nodes.js";
import type { ClusterNodeEntry } from "../src/topology/types.js";
import { clusterAddNode } from "../tools/cluster/cluster-add-node.js";
import { clusterDelNode } from "../tools/cluster/cluster-del-node.js";
import { clusterFailover } from "../tools/cluster/cluster-failover.js";
import { clusterRebalance } from "../tools/cluster/cluster-rebalance.js";

useTempLabHome();
const ctx = () => ({ progress: () => {}, signal: new AbortController().signal, targets: createResolver() });
const call = (tool: unknown, args: Record<string, unknown>) => invokeTool(tool as AnyTool, args, { ctx: ctx() });

let c: DataCluster;
/** The cluster's current members (the lab has two spare nodes). */
let members: string[];
beforeAll(async () => {
  c = await dataCluster("nodes", { nodes: 8, members: 6, replicas: 1, keys: 10000, zones: 2 });
  members = [...c.members];
});
afterAll(() => c?.close());

const addr = (e: ClusterNodeEntry) => `${e.host}:${e.port}`;
const entries = async (seed = members[0]) => parseClusterNodes(String(await c.client(seed).call("CLUSTER", "NODES")));
async function judged() {
  const check = await redisCliClusterCheck(members[0]);
  expect(check.ok, check.output).toBe(true);
  expect(await compareKeys(members, c.expected, c.client)).toEqual([]);
}

describe("cluster_add_node", () => {
  it("refuses, changing nothing: a member, a master id without replica, an unreachable node", async () => {
    const before = await clusterSnapshot(members, c.client);
    for (const [args, err] of [
      [{ newNode: members[1] }, /already a member/],
      [{ newNode: c.addresses[6], masterId: "abcdef" }, /without replica/],
      [{ newNode: "127.0.0.1:1" }, /Cannot reach|read-only here/],
    ] as const) {
      const r = await call(clusterAddNode, { nodes: [members[0]], ...args });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(err);
    }
    expect(await clusterSnapshot(members, c.client)).toEqual(before);
  });

  it("adds a master that is usable at once: a rebalance right after it succeeds", async () => {
    const r = await call(clusterAddNode, { nodes: [members[0]], newNode: c.addresses[6] });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.output).toMatchObject({ applied: true, role: "master" });
    members.push(c.addresses[6]);
    const rb = await call(clusterRebalance, { nodes: [members[0]], useEmptyMasters: true });
    expect(rb.ok, JSON.stringify(rb)).toBe(true);
    const counts = (await entries()).filter((e) => e.role === "master").map((e) => e.slots.reduce((n, x) => n + x.end - x.start + 1, 0));
    expect(counts.sort()).toEqual([4096, 4096, 4096, 4096]);
    await judged();
  });

  it("adds a replica to the least-replicated master on another zone, link up", async () => {
    const r = await call(clusterAddNode, { nodes: [members[0]], newNode: c.addresses[7], replica: true });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    // The new master has no replica yet: it is the one.
    expect((r.output.master as { address: string }).address).toBe(c.addresses[6]);
    members.push(c.addresses[7]);
    const self = (await entries(c.addresses[7])).find((e) => e.flags.includes("myself"))!;
    expect(self.role).toBe("replica");
    await judged();
  });
});

describe("cluster_failover", () => {
  it("refuses a master, and force with takeover", async () => {
    const master = (await entries()).find((e) => e.role === "master")!;
    const r = await call(clusterFailover, { nodes: [members[0]], replica: master.id });
    expect(!r.ok && r.error.message).toMatch(/is a master already/);
    const both = await call(clusterFailover, { nodes: [members[0]], replica: master.id, force: true, takeover: true });
    expect(!both.ok && both.error.message).toMatch(/exclude each other/);
  });

  it("a coordinated failover: measured, the old master is the new one's replica, every node agrees", async () => {
    const replica = (await entries()).find((e) => e.role === "replica")!;
    const r = await call(clusterFailover, { nodes: [members[0]], replica: replica.id });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const timings = r.output.timings as { writableMs: number; agreedMs: number };
    expect(timings.writableMs).toBeGreaterThanOrEqual(0);
    expect(timings.agreedMs).toBeGreaterThanOrEqual(timings.writableMs);
    const now = await entries();
    expect(now.find((e) => e.id === replica.id)?.role).toBe("master");
    expect(now.find((e) => e.id === replica.masterId)?.masterId).toBe(replica.id);
    console.error(`cluster failover: writable after ${timings.writableMs} ms, agreed after ${timings.agreedMs} ms`);
    await judged();
  });
});

describe("cluster_del_node", () => {
  it("refuses a master with slots without drain, changing nothing; a dry run shows the drain spread", async () => {
    const master = (await entries()).find((e) => e.role === "master" && e.slots.length)!;
    const before = await clusterSnapshot(members, c.client);
    const r = await call(clusterDelNode, { nodes: [members[0]], node: master.id, confirm: true });
    expect(!r.ok && r.error.message).toMatch(/holding \d+ slot\(s\)/);
    const dry = await call(clusterDelNode, { nodes: [members[0]], node: master.id, drain: true, dryRun: true });
    expect(dry.ok, JSON.stringify(dry)).toBe(true);
    if (dry.ok) expect(new Set((dry.output.drain as { moves: { to: string }[] }).moves.map((m) => m.to)).size).toBe(3);
    expect(await clusterSnapshot(members, c.client)).toEqual(before);
  });

  it("drains a master over the other three, moves its replica, and every node forgets it", async () => {
    const all = await entries();
    const victim = all.find((e) => e.role === "master" && e.slots.length && all.some((r) => r.masterId === e.id))!;
    const replica = all.find((r) => r.masterId === victim.id)!;
    const r = await call(clusterDelNode, { nodes: [members[0] === addr(victim) ? members[1] : members[0]], node: victim.id, drain: true, confirm: true });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    members = members.filter((m) => m !== addr(victim));
    const now = await entries();
    expect(now.some((e) => e.id === victim.id)).toBe(false);
    expect(now.find((e) => e.id === replica.id)?.masterId).not.toBe(victim.id);
    // The removed node still runs, reset soft by default: it knows only itself, so it no longer claims to be a member.
    expect(r.output.reset).toBe("soft");
    expect((await entries(addr(victim))).length).toBe(1);
    await judged();
  });

  it("removes a replica given redis-cli's way (id as the last argument) and resets it", async () => {
    const replica = (await entries()).find((e) => e.role === "replica")!;
    const r = await call(clusterDelNode, { nodes: [members.find((m) => m !== addr(replica))!, replica.id], reset: "soft", confirm: true });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    members = members.filter((m) => m !== addr(replica));
    expect((await entries(addr(replica))).length).toBe(1);
    await judged();
  });
});
