// cluster fix's slot kinds on real servers: each case is made by hand with the same
// commands a half-done migration leaves (or worse), fixed, then judged by redis-cli
// --cluster check and a full key/value comparison. Includes cases redis-cli gives up on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";
import { clusterSnapshot, compareKeys, dataCluster, type DataCluster } from "./helpers/cluster-data.js";
import { invokeTool } from "../src/registry/invoke.js";
import type { AnyTool } from "../src/registry/tool.js";
import { createResolver } from "../src/targets/resolver.js";
import { parseClusterNodes } from "../src/redis/parse-cluster-nodes.js";
import { keySlot } from "../src/redis/slots.js";
import type { ClusterNodeEntry } from "../src/topology/types.js";
import { clusterFix } from "../tools/cluster/cluster-fix.js";

useTempLabHome();
const ctx = () => ({ progress: () => {}, signal: new AbortController().signal, targets: createResolver() });
const fix = (args: Record<string, unknown> = {}) => invokeTool(clusterFix as unknown as AnyTool, { lab: "fix", confirm: true, ...args }, { ctx: ctx() });

let c: DataCluster;
beforeAll(async () => {
  c = await dataCluster("fix", { nodes: 3, replicas: 0, keys: 6000 });
});
afterAll(() => c?.close());

const addr = (e: ClusterNodeEntry) => `${e.host}:${e.port}`;
async function masters(): Promise<ClusterNodeEntry[]> {
  return parseClusterNodes(String(await c.client(c.members[0]).call("CLUSTER", "NODES")))
    .filter((e) => e.role === "master")
    .sort((a, b) => a.port - b.port);
}
const node = (e: ClusterNodeEntry): Redis => c.client(addr(e));
const setslot = (e: ClusterNodeEntry, slot: number, ...rest: string[]) => node(e).call("CLUSTER", "SETSLOT", String(slot), ...rest);
/** A slot of `owner` holding at least two of the test keys, and those keys. */
async function slotWithKeys(owner: ClusterNodeEntry, skip = 0): Promise<{ slot: number; keys: string[] }> {
  const bySlot = new Map<number, string[]>();
  for (const k of c.expected.keys()) bySlot.set(keySlot(k), [...(bySlot.get(keySlot(k)) ?? []), k]);
  const owned = [...bySlot].filter(([s, ks]) => ks.length >= 2 && owner.slots.some((r) => r.start <= s && s <= r.end)).sort((a, b) => a[0] - b[0]);
  const [slot, keys] = owned[skip];
  return { slot, keys };
}
const migrate = (from: ClusterNodeEntry, to: ClusterNodeEntry, keys: string[]) => node(from).call("MIGRATE", to.host, String(to.port), "", "0", "5000", "KEYS", ...keys);
async function ownerOf(slot: number): Promise<string[]> {
  return (await masters()).filter((m) => m.slots.some((r) => r.start <= slot && slot <= r.end)).map(addr);
}

async function fixedAndJudged(kinds: string[]) {
  const dry = await fix({ dryRun: true });
  expect(dry.ok, JSON.stringify(dry)).toBe(true);
  if (!dry.ok) return;
  expect((dry.output.fixes as { kind: string }[]).map((f) => f.kind).sort()).toEqual(kinds.sort());
  const r = await fix();
  expect(r.ok, JSON.stringify(r)).toBe(true);
  const check = await redisCliClusterCheck(c.members[0]);
  expect(check.ok, check.output).toBe(true);
  expect(await compareKeys(c.members, c.expected, c.client)).toEqual([]);
  return r.ok ? r.output : undefined;
}

describe("open slots", () => {
  it("a migration stopped after some keys moved is finished toward its target", async () => {
    const [a, b] = await masters();
    const { slot, keys } = await slotWithKeys(a);
    await setslot(b, slot, "IMPORTING", a.id);
    await setslot(a, slot, "MIGRATING", b.id);
    await migrate(a, b, keys.slice(0, 1));
    const before = await clusterSnapshot(c.members, c.client);
    const dry = await fix({ dryRun: true });
    expect(await clusterSnapshot(c.members, c.client)).toEqual(before);
    expect(dry.ok && dry.summary).toMatch(/finishing the migration/);
    await fixedAndJudged(["open-slots"]);
    expect(await ownerOf(slot)).toEqual([addr(b)]);
  });

  it("MIGRATING with no importer: the owner keeps the slot", async () => {
    const [a, b] = await masters();
    const { slot } = await slotWithKeys(a, 1);
    await setslot(a, slot, "MIGRATING", b.id);
    await fixedAndJudged(["open-slots"]);
    expect(await ownerOf(slot)).toEqual([addr(a)]);
  });

  it("IMPORTING only, with keys already on the importer: they go back to the owner", async () => {
    const [a, b] = await masters();
    const { slot, keys } = await slotWithKeys(a, 2);
    await setslot(b, slot, "IMPORTING", a.id);
    await setslot(a, slot, "MIGRATING", b.id);
    await migrate(a, b, keys.slice(0, 1));
    await setslot(a, slot, "STABLE");
    await fixedAndJudged(["open-slots"]);
    expect(await ownerOf(slot)).toEqual([addr(a)]);
  });

  it("redis-cli gives up: migrating to one node while a third imports it with keys", async () => {
    const [a, b, m3] = await masters();
    const { slot, keys } = await slotWithKeys(a, 3);
    await setslot(m3, slot, "IMPORTING", a.id);
    await setslot(a, slot, "MIGRATING", m3.id);
    await migrate(a, m3, keys.slice(0, 1));
    await setslot(a, slot, "MIGRATING", b.id);
    const cli = await redisCliClusterCheck(c.members[0]);
    expect(cli.ok).toBe(false);
    await fixedAndJudged(["open-slots"]);
    expect(await ownerOf(slot)).toEqual([addr(a)]);
  });
});

describe("owners", () => {
  it("a slot two masters claim goes to the one holding its keys, and every node agrees", async () => {
    // The claimant has the lower config epoch, so its claim cannot win in gossip: a claim
    // that did win would make the owner delete its keys (Redis does that on a lost slot).
    const ms = (await masters()).sort((x, y) => x.configEpoch - y.configEpoch);
    const [low, high] = [ms[0], ms[ms.length - 1]];
    const { slot } = await slotWithKeys(high, 0);
    await setslot(low, slot, "NODE", low.id);
    const r = await fix();
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(await ownerOf(slot)).toEqual([addr(high)]);
    const check = await redisCliClusterCheck(c.members[0]);
    expect(check.ok, check.output).toBe(true);
    expect(await compareKeys(c.members, c.expected, c.client)).toEqual([]);
  });

  it("an uncovered slot without keys goes to the master with the fewest slots", async () => {
    const ms = await masters();
    const used = new Set([...c.expected.keys()].map((k) => keySlot(k)));
    const empty = [...Array(16384).keys()].find((s) => !used.has(s) && ms[2].slots.some((r) => r.start <= s && s <= r.end))!;
    for (const m of ms) await node(m).call("CLUSTER", "DELSLOTS", String(empty));
    const out = await fixedAndJudged(["uncovered-slots"]);
    expect(out?.fixes).toHaveLength(1);
    expect((await ownerOf(empty)).length).toBe(1);
  });

  it("keys left on a master after its slot was deleted there move to the slot's new owner", async () => {
    const [a] = await masters();
    const { slot } = await slotWithKeys(a, 5);
    for (const m of await masters()) await node(m).call("CLUSTER", "DELSLOTS", String(slot));
    await fixedAndJudged(["uncovered-slots"]);
    expect(await ownerOf(slot)).toEqual([addr(a)]);
  });
});

describe("refusals", () => {
  it("two different copies of a key are reported, not overwritten, and nothing else changes", async () => {
    const [a, b] = await masters();
    const { slot, keys } = await slotWithKeys(a, 6);
    await setslot(b, slot, "IMPORTING", a.id);
    await node(b).call("ASKING");
    await node(b).call("RESTORE", keys[0], "0", (await node(a).callBuffer("DUMP", keys[1])) as Buffer);
    const r = await fix();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe("data_conflict");
    // Settle it by hand the way the message says (drop the stray copy), and fix finishes.
    await node(b).call("ASKING");
    await node(b).call("DEL", keys[0]);
    await fixedAndJudged(["open-slots"]);
  });

  it("an unknown repair kind is refused", async () => {
    const r = await fix({ kinds: ["everything"] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/Unknown repair kind 'everything'/);
  });

  it("without confirm, nothing changes and the plan comes back", async () => {
    const [a, b] = await masters();
    const { slot } = await slotWithKeys(a, 7);
    await setslot(a, slot, "MIGRATING", b.id);
    const before = await clusterSnapshot(c.members, c.client);
    const r = await invokeTool(clusterFix as unknown as AnyTool, { lab: "fix" }, { ctx: ctx() });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe("confirmation_required");
    expect(await clusterSnapshot(c.members, c.client)).toEqual(before);
    await fixedAndJudged(["open-slots"]);
  });
});
