// cluster reshard and rebalance on real servers: every move is followed by redis-cli
// --cluster check and a full key/value comparison; bad input (dry run or not) changes nothing.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";
import { clusterSnapshot, compareKeys, dataCluster, ownersOf, type DataCluster } from "./helpers/cluster-data.js";
import { invokeTool } from "../src/registry/invoke.js";
import type { AnyTool } from "../src/registry/tool.js";
import { createResolver } from "../src/targets/resolver.js";
import { parseClusterNodes } from "../src/redis/parse-cluster-nodes.js";
import { labStateDir } from "../src/lab/store.js";
import { clusterReshard } from "../tools/cluster/cluster-reshard.js";
import { clusterRebalance } from "../tools/cluster/cluster-rebalance.js";

const home = useTempLabHome();
const ctx = () => ({ progress: () => {}, signal: new AbortController().signal, targets: createResolver() });
const call = (tool: unknown, args: Record<string, unknown>) => invokeTool(tool as AnyTool, args, { ctx: ctx() });

let c: DataCluster;
beforeAll(async () => {
  c = await dataCluster("reshard", { nodes: 6, replicas: 1, keys: 20000 });
});
afterAll(() => c?.close());

async function masters() {
  const entries = parseClusterNodes(String(await c.client(c.members[0]).call("CLUSTER", "NODES")));
  // In address order, so a, b, m3 name the same masters all along.
  return entries.filter((e) => e.role === "master").sort((a, b) => a.port - b.port);
}
const slotCounts = async () => (await masters()).map((m) => m.slots.reduce((n, r) => n + r.end - r.start + 1, 0));

async function judged() {
  const check = await redisCliClusterCheck(c.members[0]);
  expect(check.ok, check.output).toBe(true);
  expect(await compareKeys(c.members, c.expected, c.client)).toEqual([]);
}

describe("cluster_reshard", () => {
  it("moves 1000 slots from one master to another, verified, with every key in place", async () => {
    const [a, b] = await masters();
    const before = await slotCounts();
    const steps: string[] = [];
    const r = await invokeTool(clusterReshard as unknown as AnyTool, { lab: "reshard", from: a.id, to: b.id, slots: 1000 }, { ctx: { ...ctx(), progress: (e) => steps.push(e.step) } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.output).toMatchObject({ applied: true, ok: true, slotsMoved: 1000, path: "keys" });
    expect(r.output.keysMoved).toBeGreaterThan(1000);
    expect(steps).toContain("move");
    expect(steps).toContain("verify");
    expect(await slotCounts()).toEqual([before[0] - 1000, before[1] + 1000, before[2]]);
    // The journal lives beside the lab's state and says the migration is done.
    const journal = JSON.parse(readFileSync(String(r.output.journal), "utf8"));
    expect(String(r.output.journal).startsWith(join(labStateDir("reshard"), "migrations"))).toBe(true);
    expect(journal.state).toBe("done");
    expect(journal.done[0]).toEqual([{ start: a.slots[0].start, end: a.slots[0].start + 999 }]);
    await judged();
  });

  it("moves named ranges from every other master (--from all)", async () => {
    const [a, b, m3] = await masters();
    const r = await call(clusterReshard, { nodes: [c.members[2]], from: "all", to: `${a.host}:${a.port}`, ranges: `${b.slots[0].start}-${b.slots[0].start + 9},${m3.slots[0].start}` });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.output.slotsMoved).toBe(11);
    const owners = await ownersOf(c.members[0], c.client);
    expect(owners[m3.slots[0].start]).toBe(`${a.host}:${a.port}`);
    await judged();
  });

  it("a dry run saves a plan; applying it later checks that the cluster still matches", async () => {
    const [a, , m3] = await masters();
    // Over MCP (invokeTool's default file policy) a plan file is kept under REDIS_PILOT_HOME/files.
    const file = "plan.json";
    const before = await clusterSnapshot(c.members, c.client);
    const dry = await call(clusterReshard, { lab: "reshard", from: m3.id, to: a.id, slots: 50, dryRun: true, planOut: file });
    expect(dry.ok, JSON.stringify(dry)).toBe(true);
    if (!dry.ok) return;
    expect(dry.output.applied).toBe(false);
    expect(dry.summary).toMatch(/^Dry run: reshard would move 50 slot\(s\)/);
    expect(existsSync(join(home, "files", file))).toBe(true);
    expect(await clusterSnapshot(c.members, c.client)).toEqual(before);
    const applied = await call(clusterReshard, { lab: "reshard", from: "x", to: "x", plan: file });
    expect(applied.ok, JSON.stringify(applied)).toBe(true);
    // The same plan again: its slots are already at the target, so nothing is left to move.
    const again = await call(clusterReshard, { lab: "reshard", from: "x", to: "x", plan: file });
    expect(again.ok && again.output.slotsMoved).toBe(0);
    await judged();
  });
});

describe("bad input changes nothing (dry run or not)", () => {
  const cases: [string, (m: Awaited<ReturnType<typeof masters>>) => Record<string, unknown>, string | RegExp][] = [
    ["an unknown node id", (m) => ({ from: "0123456789abcdef", to: m[1].id, slots: 10 }), /No source/],
    ["a target that is a replica", () => ({ from: "all", to: "REPLICA", slots: 10 }), /is a replica/],
    ["the target among the sources", (m) => ({ from: `${m[0].id},${m[1].id}`, to: m[1].id, slots: 10 }), /also a source/],
    ["a source without enough slots", (m) => ({ from: m[0].id, to: m[1].id, slots: 16000 }), /fewer than the 16000/],
    ["a slot out of range", (m) => ({ from: m[0].id, to: m[1].id, ranges: "16384" }), /not a list of slots/],
    ["slots the source does not own", (m) => ({ from: m[0].id, to: m[1].id, ranges: `${m[2].slots[0].start}` }), /not owned by the source/],
    ["both a count and ranges", (m) => ({ from: m[0].id, to: m[1].id, slots: 5, ranges: "1" }), /either slots/],
    ["a weight that is not ID=W", () => ({ weight: ["abc"] }), /not a weight/],
  ];
  it.each(cases.flatMap(([name, args, err]) => [false, true].map((dryRun) => [`${name}${dryRun ? " (dry run)" : ""}`, args, err, dryRun] as const)))("%s", async (_, args, err, dryRun) => {
    const m = await masters();
    const replica = parseClusterNodes(String(await c.client(c.members[0]).call("CLUSTER", "NODES"))).find((e) => e.role === "replica")!;
    const input = Object.fromEntries(Object.entries(args(m)).map(([k, v]) => [k, v === "REPLICA" ? replica.id : v]));
    const before = await clusterSnapshot(c.members, c.client);
    const tool = "weight" in input ? clusterRebalance : clusterReshard;
    const r = await call(tool, { lab: "reshard", ...input, dryRun });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(err);
    expect(await clusterSnapshot(c.members, c.client)).toEqual(before);
  });

  it("refuses to start while a slot is open, changing nothing", async () => {
    const [a, b] = await masters();
    const slot = a.slots[0].start;
    await c.client(`${a.host}:${a.port}`).call("CLUSTER", "SETSLOT", String(slot), "MIGRATING", b.id);
    try {
      const before = await clusterSnapshot(c.members, c.client);
      for (const dryRun of [true, false]) {
        const r = await call(clusterReshard, { lab: "reshard", from: b.id, to: a.id, slots: 10, dryRun });
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toBe("cluster_not_stable");
      }
      expect(await clusterSnapshot(c.members, c.client)).toEqual(before);
    } finally {
      await c.client(`${a.host}:${a.port}`).call("CLUSTER", "SETSLOT", String(slot), "STABLE");
    }
  });
});

describe("cluster_rebalance", () => {
  it("by weights: a master with weight 2 ends with half the slots, and a weight-0 master stays a master", async () => {
    const [a, b, m3] = await masters();
    const r = await call(clusterRebalance, { lab: "reshard", weight: [`${a.id}=2`, `${b.id}=1`, `${m3.id}=1`] });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const counts = new Map((await masters()).map((m) => [m.id, m.slots.reduce((n, x) => n + x.end - x.start + 1, 0)]));
    expect(counts.get(a.id)).toBe(8192);
    await judged();
    const z = await call(clusterRebalance, { lab: "reshard", weight: [`${m3.id}=0`] });
    expect(z.ok, JSON.stringify(z)).toBe(true);
    const after = await masters();
    // Emptied, still a master with its replica (the #4592 / #11104 trap), and back in use with useEmptyMasters.
    expect(after.find((m) => m.id === m3.id)?.slots).toEqual([]);
    const all = parseClusterNodes(String(await c.client(c.members[0]).call("CLUSTER", "NODES")));
    expect(all.filter((e) => e.masterId === m3.id)).toHaveLength(1);
    await judged();
    const back = await call(clusterRebalance, { lab: "reshard", useEmptyMasters: true });
    expect(back.ok, JSON.stringify(back)).toBe(true);
    expect((await slotCounts()).every((n) => Math.abs(n - 5461) <= 1)).toBe(true);
    await judged();
  });

  it("by keys: a master holding the hot slots gives slots away although slot counts are even", async () => {
    const [a] = await masters();
    // 6000 extra keys in a's slots only.
    const owners = await ownersOf(c.members[0], c.client);
    const hot = new Map<string, string>();
    for (let i = 0; hot.size < 6000; i++) {
      const k = `hot:${i}`;
      const { keySlot } = await import("../src/redis/slots.js");
      if (owners[keySlot(k)] === `${a.host}:${a.port}`) hot.set(k, `h${i}`);
    }
    const { writeKeys } = await import("./helpers/cluster-data.js");
    await writeKeys(c.members, hot, c.client);
    for (const [k, v] of hot) c.expected.set(k, v);
    const bySlots = await call(clusterRebalance, { lab: "reshard", dryRun: true });
    expect(bySlots.ok && bySlots.output.moves).toEqual([]);
    const r = await call(clusterRebalance, { lab: "reshard", mode: "keys", threshold: 5 });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const shares = r.output.shares as { current: number; wanted: number }[];
    expect(shares.length).toBe(3);
    const keys = await Promise.all((await masters()).map((m) => c.client(`${m.host}:${m.port}`).dbsize()));
    const total = keys.reduce((x, y) => x + y, 0);
    for (const k of keys) expect(Math.abs(k - total / 3) / (total / 3)).toBeLessThan(0.06);
    await judged();
  });
});

describe("with a password", () => {
  // MIGRATE then carries AUTH, so batches go key by key through pipelines (no server-side
  // script: EVAL arguments are not redacted in SLOWLOG); the password reaches no output.
  it("moves slots with MIGRATE AUTH, verified, and the password appears nowhere in the result", async () => {
    const p = await dataCluster("reshard-auth", { nodes: 3, replicas: 0, keys: 3000, password: "s3cret-migrate-pw" });
    try {
      const ms = parseClusterNodes(String(await p.client(p.members[0]).call("CLUSTER", "NODES"))).filter((e) => e.role === "master").sort((a, b) => a.port - b.port);
      const r = await call(clusterReshard, { lab: "reshard-auth", from: ms[0].id, to: ms[1].id, slots: 500 });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(JSON.stringify(r)).not.toContain("s3cret-migrate-pw");
      const check = await redisCliClusterCheck(p.members[0], "s3cret-migrate-pw");
      expect(check.ok, check.output).toBe(true);
      expect(await compareKeys(p.members, p.expected, p.client)).toEqual([]);
    } finally {
      p.close();
    }
  });
});

describe("BUSYKEY", () => {
  // A key already on the target: an equal copy is settled with MIGRATE REPLACE; a different
  // one stops the move with data_conflict (slot left open, named), never overwritten.
  it("equal copies are merged, different ones are reported and kept", async () => {
    const p = await dataCluster("reshard-busy", { nodes: 3, replicas: 0, keys: 2000 });
    try {
      const ms = parseClusterNodes(String(await p.client(p.members[0]).call("CLUSTER", "NODES"))).filter((e) => e.role === "master").sort((a, b) => a.port - b.port);
      const [a, b] = ms;
      const { keySlot } = await import("../src/redis/slots.js");
      const inA = [...p.expected.keys()].filter((k) => a.slots.some((r) => r.start <= keySlot(k) && keySlot(k) <= r.end)).sort((x, y) => keySlot(x) - keySlot(y));
      const [same, other] = [inA[0], inA.find((k) => keySlot(k) > keySlot(inA[0]) + 20)!];
      const target = p.client(`${b.host}:${b.port}`);
      const plant = async (key: string, value: string) => {
        await target.call("CLUSTER", "SETSLOT", String(keySlot(key)), "IMPORTING", a.id);
        await target.call("ASKING");
        await target.set(key, value);
        await target.call("CLUSTER", "SETSLOT", String(keySlot(key)), "STABLE");
      };
      await plant(same, p.expected.get(same)!);
      const equal = await call(clusterReshard, { lab: "reshard-busy", from: a.id, to: b.id, ranges: `${keySlot(same)}` });
      expect(equal.ok, JSON.stringify(equal)).toBe(true);
      await plant(other, "a different value");
      const conflict = await call(clusterReshard, { lab: "reshard-busy", from: a.id, to: b.id, ranges: `${keySlot(other)}` });
      expect(conflict.ok).toBe(false);
      if (!conflict.ok) {
        expect(conflict.error.code).toBe("data_conflict");
        expect(conflict.error.message).toContain(other);
      }
      expect(await p.client(`${a.host}:${a.port}`).get(other)).toBe(p.expected.get(other));
    } finally {
      p.close();
    }
  });
});
