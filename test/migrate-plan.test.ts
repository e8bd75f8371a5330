// The migration planners, pure: tables of clusters written by hand, moves out.
import { describe, expect, it } from "vitest";
import type { ClusterMap, MapNode } from "../src/ops/migrate/cluster-map.js";
import { findNode } from "../src/ops/migrate/cluster-map.js";
import { planReshard } from "../src/ops/migrate/plan-reshard.js";
import { planRebalance, weightedShares } from "../src/ops/migrate/plan-rebalance.js";
import { planDrain } from "../src/ops/migrate/plan-drain.js";
import { comparePlan } from "../src/ops/migrate/plan-check.js";
import { normalizeMoves } from "../src/ops/migrate/plan.js";
import { batchKeys, timeoutFor } from "../src/ops/migrate/migrate-batches.js";
import { classify, replyCode } from "../src/ops/migrate/retry.js";
import { emptiedMasters } from "../src/ops/migrate/protect.js";
import { parseWeights } from "../src/ops/migrate/tool-shape.js";
import { countSlots, SLOT_COUNT, splitSlots, type SlotRange } from "../src/redis/slots.js";
import type { PilotError } from "../src/errors.js";
import { cliWords } from "../src/cli/words.js";
import { mcpWords, speak } from "../src/registry/words.js";
import { allTools } from "../tools/index.js";
import { namedPlacement, placeReplica } from "../src/ops/add-node/placement.js";

const id = (c: string) => c.repeat(40);
function master(c: string, port: number, slots: SlotRange[]): MapNode {
  return { id: id(c), address: `127.0.0.1:${port}`, role: "master", slots, host: "127.0.0.1", busIp: "127.0.0.1", port, busPort: port + 10000 };
}
function replica(c: string, port: number, of: string): MapNode {
  return { id: id(c), address: `127.0.0.1:${port}`, role: "replica", slots: [], masterId: id(of), host: "127.0.0.1", busIp: "127.0.0.1", port, busPort: port + 10000 };
}
function mapOf(nodes: MapNode[]): ClusterMap {
  const owner = new Array<string>(SLOT_COUNT).fill("");
  for (const n of nodes) if (n.role === "master") for (const r of n.slots) owner.fill(n.id, r.start, r.end + 1);
  return { nodes, owner };
}
const [s1, s2, s3] = splitSlots(3);
const three = () => mapOf([master("a", 7000, [s1]), master("b", 7001, [s2]), master("c", 7002, [s3]), replica("d", 7003, "a")]);
const total = (moves: { slots: SlotRange[] }[]) => moves.reduce((n, m) => n + countSlots(m.slots), 0);

describe("findNode", () => {
  it.each([
    ["full id", id("a"), "127.0.0.1:7000"],
    ["a prefix", "aaaaaa", "127.0.0.1:7000"],
    ["an address", "127.0.0.1:7001", "127.0.0.1:7001"],
    ["localhost spelled as the cluster does", " 127.0.0.1:7002 ", "127.0.0.1:7002"],
  ])("by %s", (_, ref, address) => expect(findNode(three(), ref).address).toBe(address));
  it.each([
    ["too short a prefix", "aaa", /No node 'aaa'/],
    ["an unknown address", "127.0.0.1:9", /No node/],
  ])("refuses %s", (_, ref, err) => expect(() => findNode(three(), ref)).toThrow(err));
});

describe("planReshard", () => {
  it("takes N slots from one source, lowest first", () => {
    expect(planReshard(three(), { from: [id("a")], to: id("b"), slots: 100 })).toEqual([{ from: id("a"), to: id("b"), slots: [{ start: 0, end: 99 }] }]);
  });
  it("--from all: in proportion to what each owns, adding up to N exactly", () => {
    const moves = planReshard(three(), { from: "all", to: id("a"), slots: 1001 });
    expect(moves.map((m) => m.from)).toEqual([id("b"), id("c")]);
    expect(total(moves)).toBe(1001);
    expect(moves.map((m) => countSlots(m.slots))).toEqual([501, 500]);
  });
  it("named ranges go to whichever source owns them", () => {
    const moves = planReshard(three(), { from: "all", to: id("a"), slots: [{ start: 5461, end: 5470 }, { start: 16383, end: 16383 }] });
    expect(moves).toEqual([
      { from: id("b"), to: id("a"), slots: [{ start: 5461, end: 5470 }] },
      { from: id("c"), to: id("a"), slots: [{ start: 16383, end: 16383 }] },
    ]);
  });
  it("counts expected keys from a per-slot table", () => {
    const keys = new Float64Array(SLOT_COUNT).fill(2);
    expect(planReshard(three(), { from: [id("a")], to: id("b"), slots: 10 }, keys)[0].keys).toBe(20);
  });
  it.each([
    ["a replica target", { from: [id("a")], to: id("d"), slots: 1 }, /is a replica of 127.0.0.1:7000/],
    ["a replica source", { from: [id("d")], to: id("b"), slots: 1 }, /is a replica/],
    ["the target as a source", { from: [id("b")], to: id("b"), slots: 1 }, /also a source/],
    ["a source named twice", { from: [id("a"), "127.0.0.1:7000"], to: id("b"), slots: 1 }, /named twice/],
    ["more slots than the sources own", { from: [id("a")], to: id("b"), slots: 5462 }, /owns 5461 slots, fewer than the 5462/],
    ["zero slots", { from: [id("a")], to: id("b"), slots: 0 }, /not a slot count/],
    ["a range the target owns", { from: "all" as const, to: id("a"), slots: [{ start: 0, end: 0 }] }, /already owns slot 0/],
    ["a range no source owns", { from: [id("b")], to: id("a"), slots: [{ start: 16000, end: 16001 }] }, /not owned by the source/],
  ])("refuses %s", (_, req, err) => expect(() => planReshard(three(), req)).toThrow(err));
});

describe("planRebalance by slots", () => {
  it("weightedShares adds up and follows the weights", () => {
    expect(weightedShares(16384, [1, 1, 1])).toEqual([5462, 5461, 5461]);
    expect(weightedShares(16384, [2, 1, 1])).toEqual([8192, 4096, 4096]);
    expect(weightedShares(10, [0, 1])).toEqual([0, 10]);
  });
  it("a balanced cluster moves nothing", () => {
    expect(planRebalance(three(), {}).balanced).toBe(true);
  });
  it("an empty master takes part only with useEmptyMasters, and then gets a fair share from every master", () => {
    const map = mapOf([...three().nodes, master("e", 7004, [])]);
    expect(planRebalance(map, {}).moves).toEqual([]);
    const out = planRebalance(map, { useEmptyMasters: true });
    expect(out.moves.every((m) => m.to === id("e"))).toBe(true);
    expect(out.moves.map((m) => m.from).sort()).toEqual([id("a"), id("b"), id("c")]);
    expect(total(out.moves)).toBe(4096);
  });
  it("weight 0 empties a master onto the others, spread", () => {
    const out = planRebalance(three(), { weights: { [id("c")]: 0 } });
    expect(out.moves.every((m) => m.from === id("c"))).toBe(true);
    expect(out.moves.map((m) => countSlots(m.slots)).sort()).toEqual([2730, 2731]);
  });
  it("within the threshold nothing moves; outside it, slots move", () => {
    const map = mapOf([master("a", 7000, [{ start: 0, end: 5600 }]), master("b", 7001, [{ start: 5601, end: 10922 }]), master("c", 7002, [s3])]);
    expect(planRebalance(map, { threshold: 5 }).moves).toEqual([]);
    expect(total(planRebalance(map, { threshold: 2 }).moves)).toBe(5601 - 5462);
  });
  it.each([
    ["a negative weight", { weights: { [id("a")]: -1 } }, /not a number >= 0/],
    ["weights of a replica", { weights: { [id("d")]: 2 } }, /is a replica/],
    ["every weight 0", { weights: { [id("a")]: 0, [id("b")]: 0, [id("c")]: 0 } }, /weight 0/],
    ["a negative threshold", { threshold: -1 }, /not a percentage/],
  ])("refuses %s", (_, req, err) => expect(() => planRebalance(three(), req)).toThrow(err));
});

describe("planRebalance by load", () => {
  it("moves hot slots off the loaded master until all are within the threshold", () => {
    const load = new Float64Array(SLOT_COUNT).fill(1);
    for (let s = 0; s < 100; s++) load[s] = 100; // a's first 100 slots are hot
    const out = planRebalance(three(), { mode: "keys", threshold: 5 }, load);
    expect(out.moves.every((m) => m.from === id("a"))).toBe(true);
    const after = [0, 0, 0];
    const idx = { [id("a")]: 0, [id("b")]: 1, [id("c")]: 2 };
    for (const n of three().nodes.filter((x) => x.role === "master")) for (const r of n.slots) for (let s = r.start; s <= r.end; s++) after[idx[n.id]] += load[s];
    for (const m of out.moves) for (const r of m.slots) for (let s = r.start; s <= r.end; s++) (after[idx[m.from]] -= load[s]), (after[idx[m.to]] += load[s]);
    const share = after.reduce((x, y) => x + y, 0) / 3;
    for (const a of after) expect(Math.abs(a - share) / share).toBeLessThanOrEqual(0.05);
  });
  it("empty slots are never moved to balance load", () => {
    const load = new Float64Array(SLOT_COUNT);
    load[0] = 1000;
    const out = planRebalance(three(), { mode: "keys" }, load);
    expect(out.moves).toEqual([]);
  });
});

describe("planDrain", () => {
  it("spreads every slot over the other masters by their deficit", () => {
    const map = mapOf([...splitSlots(4).map((r, i) => master("abcd"[i], 7000 + i, [r]))]);
    const moves = planDrain(map, { node: id("d") });
    expect(moves.map((m) => countSlots(m.slots))).toEqual([1366, 1365, 1365]);
    expect(new Set(moves.map((m) => m.to)).size).toBe(3);
  });
  it("never pours everything onto one master when the others are equal", () => {
    const moves = planDrain(three(), { node: id("c") });
    expect(moves.length).toBe(2);
  });
  it("honours weights, and refuses a master with nowhere to go", () => {
    const moves = planDrain(three(), { node: id("c"), weights: { [id("a")]: 0 } });
    expect(moves.map((m) => m.to)).toEqual([id("b")]);
    expect(() => planDrain(mapOf([master("a", 7000, [{ start: 0, end: 16383 }])]), { node: id("a") })).toThrow(/only master/);
  });
});

describe("comparePlan", () => {
  const plan = { masters: [], moves: [{ from: id("a"), to: id("b"), slots: [{ start: 0, end: 9 }] }] };
  it("what is left, what is done", () => {
    const map = three();
    map.owner.fill(id("b"), 0, 4);
    expect(comparePlan(plan, map)).toEqual({ remaining: [{ from: id("a"), to: id("b"), slots: [{ start: 4, end: 9 }] }], done: 4, mismatches: [] });
  });
  it("slots at a third master, or a target that is gone, are mismatches", () => {
    const map = three();
    map.owner.fill(id("c"), 0, 2);
    expect(comparePlan(plan, map).mismatches[0]).toMatch(/now owned by neither/);
    expect(comparePlan({ masters: [], moves: [{ ...plan.moves[0], to: id("f") }] }, three()).mismatches[0]).toMatch(/no longer in the cluster/);
  });
});

describe("MIGRATE batches", () => {
  it("cut by count and by bytes; a key larger than the limit goes alone", () => {
    const keys = ["a", "b", "c", "d", "e"];
    expect(batchKeys(keys, [1, 1, 1, 1, 1], { maxKeys: 2 }).map((b) => b.keys)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(batchKeys(keys, [10, 10, 100, 10, 10], { maxBytes: 30 }).map((b) => b.keys)).toEqual([["a", "b"], ["c"], ["d", "e"]]);
  });
  it("timeout grows with bytes", () => {
    expect(timeoutFor(0)).toBe(5000);
    expect(timeoutFor(100_000_000)).toBe(15000);
    expect(batchKeys(["k"], [50_000_000])[0].timeoutMs).toBe(10000);
  });
});

describe("reply errors", () => {
  it.each([
    ["ERR Target instance replied with error: BUSYKEY Target key name already exists.", "busykey"],
    ["IOERR error or timeout reading to target instance", "ioerr"],
    ["TRYAGAIN Multiple keys request during rehashing of slot", "retry"],
    ["CLUSTERDOWN The cluster is down", "retry"],
    ["ERR Target instance replied with error: LOADING Redis is loading the dataset in memory", "retry"],
    ["ASK 3999 127.0.0.1:6381", "retry"],
    ["ERR I'm not the owner of hash slot 1", "fatal"],
    ["MOVED 3999 127.0.0.1:6381", "fatal"],
  ])("%s -> %s", (message, kind) => expect(classify(new Error(message))).toBe(kind));
  it("reads the code past MIGRATE's prefix", () => expect(replyCode(new Error("ERR Target instance replied with error: NOAUTH x"))).toBe("NOAUTH"));
});

describe("moves and protections", () => {
  it("normalizeMoves merges a pair's ranges and drops empty moves", () => {
    expect(normalizeMoves([{ from: "x", to: "y", slots: [{ start: 5, end: 6 }] }, { from: "x", to: "y", slots: [{ start: 7, end: 9 }], keys: 3 }, { from: "x", to: "z", slots: [] }])).toEqual([
      { from: "x", to: "y", slots: [{ start: 5, end: 9 }], keys: 3 },
    ]);
  });
  it("a master the moves empty, and its replicas, are protected", () => {
    const moves = planDrain(three(), { node: id("a") });
    expect(emptiedMasters(three(), moves).sort()).toEqual(["127.0.0.1:7000", "127.0.0.1:7003"]);
    expect(emptiedMasters(three(), planReshard(three(), { from: [id("a")], to: id("b"), slots: 10 }))).toEqual([]);
  });
  it("weights parse as NODE=W", () => {
    expect(parseWeights(["abc123=2", "127.0.0.1:7000=0.5"])).toEqual({ abc123: 2, "127.0.0.1:7000": 0.5 });
    expect(() => parseWeights(["abc"])).toThrow(/not a weight/);
    expect(() => parseWeights(["a=-1"])).toThrow(/not a weight/);
  });
});

describe("refusals name arguments and tools in each front end's words", () => {
  const cli = cliWords(allTools);
  const nextOf = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      return (err as PilotError).next;
    }
    throw new Error("no refusal");
  };
  it.each([
    ["the target among the sources", () => planReshard(three(), { from: [id("a")], to: id("a"), slots: 10 }), "from: all", "--from all"],
    ["a replica as the target", () => planReshard(three(), { from: [id("a")], to: id("d"), slots: 10 }), "cluster_failover", "'redis-pilot cluster failover'"],
    ["slots the source does not own", () => planReshard(three(), { from: [id("a")], to: id("b"), slots: [{ start: 16000, end: 16001 }] }), "cluster_info", "'redis-pilot cluster info'"],
    ["a negative threshold", () => planRebalance(three(), { threshold: -1 }), "threshold: PCT", "--threshold PCT"],
  ])("%s", (_, refuse, mcp, command) => {
    const next = nextOf(refuse);
    expect(speak(next, mcpWords)).toContain(mcp);
    expect(speak(next, cli)).toContain(command);
    expect(speak(next, mcpWords)).not.toMatch(/--[a-z]|redis-pilot /);
  });
});

describe("replica placement (add-node --replica)", () => {
  const zoned = () => {
    const m = three();
    const zone: Record<string, string> = { [id("a")]: "z1", [id("b")]: "z2", [id("c")]: "z1", [id("d")]: "z2" };
    const host: Record<string, string> = { [id("a")]: "127.0.1.1", [id("b")]: "127.0.2.1", [id("c")]: "127.0.1.2", [id("d")]: "127.0.2.2" };
    return { ...m, nodes: m.nodes.map((n) => ({ ...n, zone: zone[n.id], host: host[n.id] })) };
  };
  it.each([
    ["another zone first, then the fewest replicas", { host: "127.0.1.9", zone: "z1" }, "127.0.0.1:7001", undefined],
    ["in z2: the z1 master without a replica", { host: "127.0.2.9", zone: "z2" }, "127.0.0.1:7002", undefined],
  ])("%s", (_, newNode, address, warning) => {
    const p = placeReplica(zoned(), newNode)!;
    expect(p.master.address).toBe(address);
    expect(p.warning).toBe(warning);
  });
  it("a named master in the new replica's zone is honoured, with a warning", () => {
    const b = zoned().nodes.find((n) => n.id === id("b"))!;
    expect(namedPlacement(b, { host: "127.0.2.9", zone: "z2" })).toMatchObject({ reason: "named by the request", warning: expect.stringMatching(/shares zone z2 with its master 127\.0\.0\.1:7001/) });
    expect(namedPlacement(b, { host: "127.0.1.9", zone: "z1" }).warning).toBeUndefined();
  });
});
