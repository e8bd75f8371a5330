// The built-in planner's migration families (reshard, rebalance, fix, add and remove
// nodes, failover): for each, the calls its plan makes from the results so far, as
// tables of hand-written histories. Pure: no servers.
import { describe, expect, it } from "vitest";
import type { CallOutcome } from "../src/agent/planner.js";
import { familyNamed } from "../src/agent/families/index.js";
import type { AnyFamily, Next, PlanEnv } from "../src/agent/families/family.js";
import { parseRequest } from "../src/agent/parse.js";
import { allTools } from "../tools/index.js";

const env: PlanEnv = { dryRun: false, newLab: "new", tools: allTools };
const ok = (tool: string, args: Record<string, unknown>, output: Record<string, unknown>): CallOutcome =>
  ({ call: { tool, args }, result: { ok: true, output, summary: "", durationMs: 1 } }) as CallOutcome;
const rows = [
  { address: "127.0.0.1:7000", id: "a".repeat(40), role: "master", slotCount: 5461 },
  { address: "127.0.0.1:7001", id: "b".repeat(40), role: "master", slotCount: 5462 },
  { address: "127.0.0.1:7002", id: "c".repeat(40), role: "master", slotCount: 5461 },
  { address: "127.0.0.1:7003", id: "d".repeat(40), role: "replica", master: "127.0.0.1:7000", slotCount: 0 },
  { address: "127.0.0.1:7004", id: "e".repeat(40), role: "master", slotCount: 0 },
];
const info = (where: Record<string, unknown>) => ok("cluster_info", where, { nodes: rows });

function planOf(request: string, history: CallOutcome[]): { next: Next; family: AnyFamily; intent: unknown } {
  const intent = parseRequest(request, undefined, allTools) as { family: string };
  const family = familyNamed(intent.family as never) as AnyFamily;
  expect(family.plan, `${intent.family} has a plan`).toBeDefined();
  return { next: family.plan!(intent as never, history, env), family, intent };
}
const callOf = (n: Next) => ("call" in n ? n.call : undefined);

describe("reshard", () => {
  it("reads the cluster, then moves from the fullest master to the emptiest", () => {
    const first = planOf("move 1000 slots in lab demo", []);
    expect(callOf(first.next)).toEqual({ tool: "cluster_info", args: { lab: "demo" } });
    const { next } = planOf("move 1000 slots in lab demo", [info({ lab: "demo" })]);
    expect(callOf(next)).toEqual({ tool: "cluster_reshard", args: { lab: "demo", from: "127.0.0.1:7001", to: "127.0.0.1:7004", slots: 1000 } });
  });
  it("from and to as named", () => {
    const req = "move 500 slots from 127.0.0.1:7002 to 127.0.0.1:7000";
    const { next } = planOf(req, [info({ nodes: ["127.0.0.1:7002", "127.0.0.1:7000"] })]);
    expect(callOf(next)?.args).toMatchObject({ from: "127.0.0.1:7002", to: "127.0.0.1:7000", slots: 500 });
  });
  it("from and to inside a named lab: the lab is where, the addresses are source and target", () => {
    const req = "move 500 slots from 127.0.0.1:7002 to 127.0.0.1:7000 in lab demo";
    expect(callOf(planOf(req, []).next)).toEqual({ tool: "cluster_info", args: { lab: "demo" } });
    const { next } = planOf(req, [info({ lab: "demo" })]);
    expect(callOf(next)).toEqual({ tool: "cluster_reshard", args: { lab: "demo", from: "127.0.0.1:7002", to: "127.0.0.1:7000", slots: 500 } });
    // Addresses that are not a source and a target would be dropped: refused, naming both places.
    expect(parseRequest("move 500 slots on 127.0.0.1:7002 in lab demo", undefined, allTools)).toMatchObject({ family: "refusal", reason: "unhonoured", message: expect.stringMatching(/names lab demo and 127\.0\.0\.1:7002/) });
  });
  it("done after the move, verified by cluster_check; refuses without a count", () => {
    const h = [info({ lab: "demo" }), ok("cluster_reshard", { lab: "demo", from: "x", to: "y", slots: 10 }, {})];
    const { next, family, intent } = planOf("reshard 10 slots in lab demo", h);
    expect(next).toMatchObject({ done: expect.stringMatching(/Moved 10 slots/) });
    expect(family.verify!(intent as never, h, env)).toEqual({ tool: "cluster_check", args: { lab: "demo" } });
    expect(planOf("reshard lab demo", []).next).toMatchObject({ reason: "ambiguous" });
  });
});

describe("rebalance", () => {
  it("uses empty masters when there are any", () => {
    const { next } = planOf("rebalance lab demo", [info({ lab: "demo" })]);
    expect(callOf(next)).toEqual({ tool: "cluster_rebalance", args: { lab: "demo", useEmptyMasters: true } });
  });
  it.each([
    ["rebalance lab demo by keys", { mode: "keys" }],
    ["rebalance lab demo by memory with a threshold of 5%", { mode: "memory", threshold: 5 }],
    ["rebalance lab demo with threshold 10 percent", { threshold: 10 }],
  ])("%s: mode and threshold reach cluster_rebalance", (request, extra) => {
    const { next } = planOf(request, [info({ lab: "demo" })]);
    expect(callOf(next)).toEqual({ tool: "cluster_rebalance", args: { lab: "demo", useEmptyMasters: true, ...extra } });
  });
});

describe("fix", () => {
  it("cluster_fix, then done with the count of fixes", () => {
    expect(callOf(planOf("fix the cluster in lab demo", []).next)).toEqual({ tool: "cluster_fix", args: { lab: "demo" } });
    const done = planOf("fix the cluster in lab demo", [ok("cluster_fix", { lab: "demo" }, { fixes: [{}, {}] })]).next;
    expect(done).toMatchObject({ done: expect.stringMatching(/Applied 2 fix/) });
  });
});

describe("failover", () => {
  it("promotes a replica of the named master", () => {
    const { next } = planOf("fail over the master at 127.0.0.1:7000", [info({ nodes: ["127.0.0.1:7000"] })]);
    expect(callOf(next)).toEqual({ tool: "cluster_failover", args: { nodes: ["127.0.0.1:7000"], replica: "127.0.0.1:7003" } });
  });
  it.each([
    ["force a failover of the master at 127.0.0.1:7000", { force: true }],
    ["fail over the master at 127.0.0.1:7000 with takeover", { takeover: true }],
  ])("%s: the mode reaches cluster_failover", (request, how) => {
    const { next } = planOf(request, [info({ nodes: ["127.0.0.1:7000"] })]);
    expect(callOf(next)).toEqual({ tool: "cluster_failover", args: { nodes: ["127.0.0.1:7000"], replica: "127.0.0.1:7003", ...how } });
    const h = [info({ nodes: ["127.0.0.1:7000"] }), ok("cluster_failover", callOf(next)!.args, {})];
    expect(planOf(request, h).next).toMatchObject({ done: expect.stringMatching(/\((force|takeover)\)\.$/) });
  });
  it("refuses a master without replica", () => {
    expect(planOf("fail over the master at 127.0.0.1:7001", [info({ nodes: ["127.0.0.1:7001"] })]).next).toMatchObject({ reason: "impossible" });
  });
});

describe("add node", () => {
  const status = ok("lab_status", { name: "demo" }, { nodes: [...rows.map((r) => ({ address: r.address, running: true })), { address: "127.0.0.1:7005", running: true }, { address: "127.0.0.1:7006", running: false }] });
  it("finds a running spare node of the lab and adds it", () => {
    expect(callOf(planOf("add a node to lab demo", []).next)).toEqual({ tool: "lab_status", args: { name: "demo" } });
    const { next } = planOf("add 1 replica to lab demo", [status, info({ lab: "demo" })]);
    expect(callOf(next)).toEqual({ tool: "cluster_add_node", args: { lab: "demo", newNode: "127.0.0.1:7005", replica: true } });
  });
  it("refuses when no spare is left, and outside a lab", () => {
    const h = [status, info({ lab: "demo" }), ok("cluster_add_node", { lab: "demo", newNode: "127.0.0.1:7005" }, {})];
    expect(planOf("add 2 nodes to lab demo", h).next).toMatchObject({ reason: "impossible" });
    expect(parseRequest("add a node to 127.0.0.1:7000", undefined, allTools)).toMatchObject({ family: "refusal" });
    // Two addresses, but which one joins is not said.
    expect(parseRequest("add a node to 127.0.0.1:7000 127.0.0.1:7001", undefined, allTools)).toMatchObject({ family: "refusal" });
  });
  it.each([
    ["add node 127.0.0.1:7010 to the cluster at 127.0.0.1:7000", { nodes: ["127.0.0.1:7000"], newNode: "127.0.0.1:7010" }, /as a master/],
    ["on 127.0.0.1:7000 and 127.0.0.1:7001, add the new node 127.0.0.1:7010 to the cluster", { nodes: ["127.0.0.1:7000", "127.0.0.1:7001"], newNode: "127.0.0.1:7010" }, /as a master/],
  ])("a named server joins the cluster at the other addresses: %s", (request, args, done) => {
    const first = planOf(request, []).next;
    expect(callOf(first)).toEqual({ tool: "cluster_add_node", args });
    const { next, family, intent } = planOf(request, [ok("cluster_add_node", args, {})]);
    expect(next).toMatchObject({ done: expect.stringMatching(done) });
    expect(family.verify!(intent as never, [ok("cluster_add_node", args, {})], env)).toEqual({ tool: "cluster_check", args: { nodes: args.nodes } });
  });
});

describe("add replicas", () => {
  it("one per master with slots, each through cluster_add_node replica", () => {
    const spare = ["127.0.0.1:7005", "127.0.0.1:7006", "127.0.0.1:7007"].map((address) => ({ address, running: true }));
    const status = ok("lab_status", { name: "demo" }, { nodes: [...rows.map((r) => ({ address: r.address, running: true })), ...spare] });
    const history = [status, info({ lab: "demo" })];
    for (const [i, { address }] of spare.entries()) {
      const { next } = planOf("add 1 replica to each master in lab demo", history);
      expect(callOf(next), `replica ${i + 1}`).toEqual({ tool: "cluster_add_node", args: { lab: "demo", newNode: address, replica: true } });
      history.push(ok("cluster_add_node", callOf(next)!.args, {}));
    }
    expect(planOf("add 1 replica to each master in lab demo", history).next).toMatchObject({ done: expect.stringMatching(/Added .* as replicas/) });
  });
});

describe("remove node", () => {
  it("drains the master with the fewest slots by default (here an empty one: no drain)", () => {
    const { next } = planOf("remove a node from lab demo", [info({ lab: "demo" })]);
    expect(callOf(next)).toEqual({ tool: "cluster_del_node", args: { lab: "demo", node: "127.0.0.1:7004" } });
  });
  it("a named master is drained; the entry point is another member", () => {
    const { next } = planOf("remove node 127.0.0.1:7002", [info({ nodes: ["127.0.0.1:7002"] })]);
    expect(callOf(next)).toEqual({ tool: "cluster_del_node", args: { nodes: ["127.0.0.1:7000"], node: "127.0.0.1:7002", drain: true } });
    const after = planOf("remove node 127.0.0.1:7002", [info({ nodes: ["127.0.0.1:7002"] }), ok("cluster_del_node", callOf(next)!.args, {})]).next;
    // Said as the cluster it left, not as the removed node.
    expect(after).toMatchObject({ done: "Removed 127.0.0.1:7002 from the cluster at 127.0.0.1:7000." });
  });
  it("a replica when asked", () => {
    const { next } = planOf("remove a replica from lab demo", [info({ lab: "demo" })]);
    expect(callOf(next)?.args).toMatchObject({ node: "127.0.0.1:7003" });
  });
});
