// "add 2 replicas to <addr>", "promote <addr>", "fail over <master name>": the words
// cannot tell a Redis Cluster node from a plain master or a Sentinel-managed one, so each
// plan reads first (lab_list, replication_info) and then takes the cluster's tools or the
// replication / Sentinel ones. Tables of requests and of hand-written histories; pure.
import { describe, expect, it } from "vitest";
import type { CallOutcome } from "../src/agent/planner.js";
import { familyNamed } from "../src/agent/families/index.js";
import type { AnyFamily, Next, PlanEnv } from "../src/agent/families/family.js";
import { sentinelNameIn } from "../src/agent/families/failover.js";
import { parseRequest } from "../src/agent/parse.js";
import { allTools } from "../tools/index.js";

const env: PlanEnv = { dryRun: false, newLab: "new", tools: allTools };
const ok = (tool: string, args: Record<string, unknown>, output: Record<string, unknown>): CallOutcome =>
  ({ call: { tool, args }, result: { ok: true, output, summary: "", durationMs: 1 } }) as CallOutcome;

// Labs: a cluster, read replicas (1 + 2, no spare), plain (3 empty masters), Sentinel (1 + 1, 3 sentinels), a second Sentinel lab.
const lab = (name: string, cluster: boolean, nodes: string[], sentinels: string[] = []) => ({ name, cluster, nodes: nodes.map((address) => ({ address })), ...(sentinels.length ? { sentinels: sentinels.map((address) => ({ address })) } : {}) });
const CLUSTER = lab("demo", true, ["127.0.1.1:7000", "127.0.1.2:7001", "127.0.1.3:7002", "127.0.1.4:7003", "127.0.1.5:7004"]);
const RR = lab("rr", false, ["127.0.1.1:8000", "127.0.1.2:8001", "127.0.1.3:8002"]);
const PLAIN = lab("plain", false, ["127.0.1.1:9000", "127.0.1.2:9001", "127.0.1.3:9002"]);
const HA = lab("ha", false, ["127.0.1.1:6000", "127.0.2.1:6001"], ["127.0.1.2:26000", "127.0.2.2:26001", "127.0.3.1:26002"]);
const HA2 = lab("ha2", false, ["127.0.1.1:6100", "127.0.2.1:6101"], ["127.0.1.2:26100", "127.0.2.2:26101", "127.0.3.1:26102"]);
const labs = (...l: object[]) => ok("lab_list", {}, { labs: l });

const row = (address: string, role: "master" | "replica", extra: Record<string, unknown> = {}) => ({ address, role, offset: 0, keys: 0, clusterEnabled: false, ...(role === "master" ? { replicas: [] } : {}), ...extra });
const info = (args: Record<string, unknown>, nodes: object[], unreachable: object[] = []) => ok("replication_info", args, { nodes, unreachable });
const RR_ROWS = [row("127.0.1.1:8000", "master", { replicas: ["127.0.1.2:8001", "127.0.1.3:8002"] }), row("127.0.1.2:8001", "replica", { master: "127.0.1.1:8000", link: "up" }), row("127.0.1.3:8002", "replica", { master: "127.0.1.1:8000", link: "up" })];
const PLAIN_ROWS = PLAIN.nodes.map((n) => row(n.address, "master"));
const HA_ROWS = [row("127.0.1.1:6000", "master", { replicas: ["127.0.2.1:6001"] }), row("127.0.2.1:6001", "replica", { master: "127.0.1.1:6000", link: "up" })];
const clusterRows = [
  { address: "127.0.1.1:7000", id: "a".repeat(40), role: "master", slotCount: 8192 },
  { address: "127.0.1.2:7001", id: "b".repeat(40), role: "master", slotCount: 8192 },
  { address: "127.0.1.3:7002", id: "c".repeat(40), role: "replica", master: "127.0.1.1:7000", slotCount: 0 },
  { address: "127.0.1.4:7003", id: "d".repeat(40), role: "replica", master: "127.0.1.2:7001", slotCount: 0 },
];

function planOf(request: string, history: CallOutcome[], e: PlanEnv = env): { next: Next; family: AnyFamily; intent: unknown } {
  const intent = parseRequest(request, undefined, allTools) as { family: string };
  const family = familyNamed(intent.family as never) as AnyFamily;
  expect(family?.plan, `${request} -> ${JSON.stringify(intent)}`).toBeDefined();
  return { next: family.plan!(intent as never, history, e), family, intent };
}
/** Runs the plan over a script of outputs (tool -> output), returning the calls it made and its last answer. */
function walk(request: string, outputs: (call: { tool: string; args: Record<string, unknown> }) => Record<string, unknown>, e: PlanEnv = env) {
  const history: CallOutcome[] = [];
  for (let i = 0; i < 10; i++) {
    const { next, family, intent } = planOf(request, history, e);
    if (!("call" in next)) return { calls: history.map((h) => h.call), last: next, verify: family.verify?.(intent as never, history, e) };
    history.push(ok(next.call.tool, next.call.args, outputs(next.call)));
  }
  throw new Error("no end");
}

describe("phrasings", () => {
  const rows: [string, object][] = [
    ["add 2 replicas to 127.0.1.1:8000", { family: "add_replicas", count: 2, master: "127.0.1.1:8000" }],
    ["add two read replicas to the master at 127.0.1.1:8000", { family: "add_replicas", count: 2, master: "127.0.1.1:8000" }],
    ["add 127.0.1.4:7003 as a replica of 127.0.1.1:7000", { family: "add_replicas", count: 1, master: "127.0.1.1:7000", newReplicas: ["127.0.1.4:7003"] }],
    ["make 127.0.0.1:7005 and 127.0.0.1:7006 replicas of 127.0.0.1:7000", { family: "add_replicas", count: 2, master: "127.0.0.1:7000", newReplicas: ["127.0.0.1:7005", "127.0.0.1:7006"] }],
    ["attach 127.0.0.1:7005-7006 to 127.0.0.1:7000 as replicas", { family: "add_replicas", master: "127.0.0.1:7000", newReplicas: ["127.0.0.1:7005", "127.0.0.1:7006"] }],
    ["add 3 replicas 127.0.0.1:7005 to 127.0.0.1:7000", { family: "refusal", reason: "impossible", message: expect.stringMatching(/asks for 3 replicas and names 1/) }],
    ["add 127.0.0.1:7005 and 127.0.0.1:7006 as replicas", { family: "refusal", reason: "ambiguous", message: expect.stringMatching(/cannot tell which one is the master/) }],
    ["promote 127.0.1.2:8001", { family: "failover", promote: true, where: { nodes: ["127.0.1.2:8001"] } }],
    ["switch over to 127.0.1.2:8001", { family: "failover", promote: true }],
    ["fail over mymaster", { family: "failover", name: "mymaster", promote: false, where: {} }],
    ["Fail over the Sentinel master MyMaster in lab ha", { family: "failover", name: "MyMaster", where: { lab: "ha" } }],
    ["fail over the master named orders", { family: "failover", name: "orders", where: {} }],
    ["fail over redis-2", { family: "failover", name: "redis-2" }],
    ["fail over the master in lab demo", { family: "failover", where: { lab: "demo" } }],
    ["fail over through sentinel in lab ha", { family: "failover", where: { lab: "ha" } }],
    // The issue's own Sentinel request: 3 nodes (1 master, 2 replicas), a sentinel beside each.
    ["Set up Redis Sentinel with 3 nodes for automatic failover", { family: "sentinel", sentinels: 3, quorum: 2, replicas: 2 }],
    ["sentinel with 2 nodes", { family: "sentinel", sentinels: 3, replicas: 1 }],
    ["sentinel with 3 nodes and 3 replicas", { family: "refusal", reason: "impossible", message: expect.stringMatching(/^3 nodes cannot hold 1 master and 3 replicas/) }],
  ];
  it.each(rows)("%s", (request, expected) => expect(parseRequest(request, undefined, allTools)).toMatchObject(expected));

  it("a word after the verb that is no name", () => {
    for (const r of ["fail over the master in lab demo", "fail over now", "fail over 2 masters", "fail over 127.0.0.1:7000", "failover of the master at 127.0.0.1:7000"]) expect(sentinelNameIn(r), r).toBeUndefined();
  });
});

describe("add replicas to an address", () => {
  it("a plain lab with spare nodes: its empty masters become replicas (replication_attach), verified by replication_check", () => {
    const r = walk("add 2 replicas to 127.0.1.1:9000", (c) => (c.tool === "lab_list" ? { labs: [CLUSTER, PLAIN] } : c.tool === "replication_info" ? { nodes: PLAIN_ROWS, unreachable: [] } : { applied: true, master: "127.0.1.1:9000", replicas: [{ address: "127.0.1.2:9001" }, { address: "127.0.1.3:9002" }], syncMs: 12 }));
    expect(r.calls).toEqual([
      { tool: "lab_list", args: {} },
      { tool: "replication_info", args: { lab: "plain" } },
      { tool: "replication_attach", args: { lab: "plain", master: "127.0.1.1:9000", replicas: ["127.0.1.2:9001", "127.0.1.3:9002"] } },
    ]);
    expect(r.last).toEqual({ done: expect.stringMatching(/^Made 127\.0\.1\.2:9001, 127\.0\.1\.3:9002 replicas of 127\.0\.1\.1:9000, in sync after 12 ms/) });
    expect(r.verify).toEqual({ tool: "replication_check", args: { nodes: ["127.0.1.1:9000"] } });
    const one = walk("add a replica to 127.0.1.1:9000", (c) => (c.tool === "lab_list" ? { labs: [PLAIN] } : c.tool === "replication_info" ? { nodes: PLAIN_ROWS, unreachable: [] } : { applied: true, master: "127.0.1.1:9000", replicas: [{ address: "127.0.1.2:9001" }], syncMs: 7 }));
    expect(one.last).toEqual({ done: expect.stringMatching(/^Made 127\.0\.1\.2:9001 a replica of 127\.0\.1\.1:9000, in sync after 7 ms\./) });
  });

  it("a lab with no spare node: lab_up starts them in a lab of their own, then replication_attach by address", () => {
    const r = walk("add 2 replicas to 127.0.1.1:8000", (c) =>
      c.tool === "lab_list" ? { labs: [RR] } : c.tool === "replication_info" ? { nodes: RR_ROWS, unreachable: [] } : c.tool === "lab_up" ? { name: "new", dryRun: false, nodes: [{ address: "127.0.1.4:8100" }, { address: "127.0.1.5:8101" }] } : { applied: true, master: "127.0.1.1:8000", replicas: [{ address: "127.0.1.4:8100" }, { address: "127.0.1.5:8101" }], syncMs: 5 },
    );
    expect(r.calls.map((c) => c.tool)).toEqual(["lab_list", "replication_info", "lab_up", "replication_attach"]);
    expect(r.calls[2].args).toEqual({ name: "new", nodes: 2, cluster: false });
    expect(r.calls[3].args).toEqual({ nodes: ["127.0.1.1:8000", "127.0.1.4:8100", "127.0.1.5:8101"], master: "127.0.1.1:8000", replicas: ["127.0.1.4:8100", "127.0.1.5:8101"] });
    expect(r.last).toMatchObject({ done: expect.stringMatching(/new nodes in lab new; remove them with lab_down new/) });
  });

  it("a dry run stops after the planned lab_up, saying what would follow", () => {
    const dry = { ...env, dryRun: true };
    const r = walk("add 2 replicas to 127.0.1.1:8000", (c) => (c.tool === "lab_list" ? { labs: [RR] } : c.tool === "replication_info" ? { nodes: RR_ROWS, unreachable: [] } : { name: "new", dryRun: true, nodes: [{ address: "127.0.1.4" }, { address: "127.0.1.5" }] }), dry);
    expect(r.calls.map((c) => c.tool)).toEqual(["lab_list", "replication_info", "lab_up"]);
    expect(r.last).toEqual({ done: "Would start 2 nodes in lab new and make them replicas of 127.0.1.1:8000 with replication_attach." });
  });

  it("a cluster node: spare lab nodes join as replicas of that master (cluster_add_node masterId), verified by cluster_check", () => {
    const spare = { address: "127.0.1.5:7004", running: true };
    const r = walk("add 1 replica to 127.0.1.1:7000", (c) => (c.tool === "lab_list" ? { labs: [CLUSTER, RR] } : c.tool === "lab_status" ? { nodes: [...clusterRows.map((x) => ({ address: x.address, running: true })), spare] } : c.tool === "cluster_info" ? { nodes: clusterRows } : {}));
    expect(r.calls).toEqual([
      { tool: "lab_list", args: {} },
      { tool: "lab_status", args: { name: "demo" } },
      { tool: "cluster_info", args: { lab: "demo" } },
      { tool: "cluster_add_node", args: { lab: "demo", newNode: "127.0.1.5:7004", replica: true, masterId: "127.0.1.1:7000" } },
    ]);
    expect(r.verify).toEqual({ tool: "cluster_check", args: { lab: "demo" } });
  });

  it("named new replicas of a cluster master: one cluster_add_node each", () => {
    const r = walk("add 127.0.1.5:7004 as a replica of 127.0.1.1:7000", (c) => (c.tool === "lab_list" ? { labs: [CLUSTER] } : {}));
    expect(r.calls.slice(1)).toEqual([{ tool: "cluster_add_node", args: { lab: "demo", newNode: "127.0.1.5:7004", replica: true, masterId: "127.0.1.1:7000" } }]);
  });

  it("an address no lab holds: replication_info tells plain from cluster; no nodes to make replicas of is said, not guessed", () => {
    const r = walk("add 2 replicas to 127.0.0.1:6379", (c) => (c.tool === "lab_list" ? { labs: [RR] } : { nodes: [row("127.0.0.1:6379", "master")], unreachable: [] }));
    expect(r.calls.map((c) => c.tool)).toEqual(["lab_list", "replication_info"]);
    expect(r.last).toMatchObject({ reason: "impossible", refuse: expect.stringMatching(/^127\.0\.0\.1:6379 is not in a lab/) });
    const named = walk("add 127.0.0.1:6380 as a replica of 127.0.0.1:6379", (c) => (c.tool === "lab_list" ? { labs: [] } : c.tool === "replication_info" ? { nodes: [row("127.0.0.1:6379", "master"), row("127.0.0.1:6380", "master")], unreachable: [] } : { applied: true, master: "127.0.0.1:6379", replicas: [{ address: "127.0.0.1:6380" }], syncMs: 3 }));
    expect(named.calls.at(-1)).toEqual({ tool: "replication_attach", args: { nodes: ["127.0.0.1:6379", "127.0.0.1:6380"], master: "127.0.0.1:6379", replicas: ["127.0.0.1:6380"] } });
  });

  it("a replica named as the master is refused, naming its master", () => {
    const r = walk("add 2 replicas to 127.0.1.2:8001", (c) => (c.tool === "lab_list" ? { labs: [RR] } : { nodes: RR_ROWS, unreachable: [] }));
    expect(r.last).toMatchObject({ reason: "impossible", refuse: expect.stringMatching(/^127\.0\.1\.2:8001 is a replica of 127\.0\.1\.1:8000; .*"add 2 replicas to 127\.0\.1\.1:8000"/) });
  });
});

describe("promote an address", () => {
  it("a plain replica whose master answers: planned switchover to it (loses nothing), verified on the new master", () => {
    const r = walk("promote 127.0.1.2:8001", (c) => (c.tool === "lab_list" ? { labs: [RR] } : c.tool === "replication_info" ? { nodes: RR_ROWS, unreachable: [] } : { applied: true, from: "127.0.1.1:8000", to: "127.0.1.2:8001", writableMs: 4, steps: [], findings: [] }));
    expect(r.calls.slice(1)).toEqual([
      { tool: "replication_info", args: { lab: "rr" } },
      { tool: "replication_switchover", args: { lab: "rr", master: "127.0.1.1:8000", to: "127.0.1.2:8001" } },
    ]);
    expect(r.last).toEqual({ done: expect.stringMatching(/^Switched over from 127\.0\.1\.1:8000 to 127\.0\.1\.2:8001: writable after 4 ms, no acknowledged write lost/) });
    expect(r.verify).toEqual({ tool: "replication_check", args: { nodes: ["127.0.1.2:8001"] } });
  });

  it("a plain replica whose master is gone: replication_promote", () => {
    const rows = RR_ROWS.slice(1).map((x) => ({ ...x, link: "down" }));
    const r = walk("promote 127.0.1.2:8001", (c) => (c.tool === "lab_list" ? { labs: [RR] } : c.tool === "replication_info" ? { nodes: rows, unreachable: [{ address: "127.0.1.1:8000", error: "refused" }] } : { applied: true, replica: "127.0.1.2:8001", oldMaster: "127.0.1.1:8000", repoint: ["127.0.1.3:8002"], writableMs: 2, steps: [], warnings: [], findings: [] }));
    expect(r.calls.at(-1)).toEqual({ tool: "replication_promote", args: { lab: "rr", replica: "127.0.1.2:8001" } });
    expect(r.last).toEqual({ done: expect.stringMatching(/^Promoted 127\.0\.1\.2:8001 \(writable after 2 ms\); 127\.0\.1\.3:8002 now replicate from it\. The old master 127\.0\.1\.1:8000 must rejoin/) });
  });

  it("a replica Sentinel watches: the switchover re-points the lab's sentinels; verified by sentinel_check", () => {
    const r = walk("promote 127.0.2.1:6001", (c) => (c.tool === "lab_list" ? { labs: [CLUSTER, HA] } : c.tool === "replication_info" ? { nodes: HA_ROWS, unreachable: [] } : { applied: true, from: "127.0.1.1:6000", to: "127.0.2.1:6001", writableMs: 3 }));
    expect(r.calls.at(-1)).toEqual({ tool: "replication_switchover", args: { lab: "ha", master: "127.0.1.1:6000", to: "127.0.2.1:6001" } });
    expect(r.verify).toEqual({ tool: "sentinel_check", args: { lab: "ha" } });
  });

  it("a cluster replica: cluster_failover on that very replica", () => {
    const r = walk("promote 127.0.1.4:7003", (c) => (c.tool === "lab_list" ? { labs: [CLUSTER] } : c.tool === "cluster_info" ? { nodes: clusterRows } : { applied: true }));
    expect(r.calls.slice(1)).toEqual([
      { tool: "cluster_info", args: { nodes: ["127.0.1.4:7003"] } },
      { tool: "cluster_failover", args: { nodes: ["127.0.1.4:7003"], replica: "127.0.1.4:7003" } },
    ]);
    expect(r.verify).toEqual({ tool: "cluster_check", args: { nodes: ["127.0.1.4:7003"] } });
  });

  it("a master is refused: it is one already", () => {
    const r = walk("promote 127.0.1.1:8000", (c) => (c.tool === "lab_list" ? { labs: [RR] } : { nodes: RR_ROWS, unreachable: [] }));
    expect(r.last).toMatchObject({ reason: "impossible", refuse: expect.stringMatching(/^127\.0\.1\.1:8000 is already a master .*\(127\.0\.1\.2:8001, 127\.0\.1\.3:8002\)/) });
  });
});

describe("fail over a master name or a master", () => {
  it("a Sentinel master name and no place: the one lab that runs sentinels, SENTINEL FAILOVER, verified by sentinel_check", () => {
    const r = walk("fail over mymaster", (c) => (c.tool === "lab_list" ? { labs: [CLUSTER, RR, HA] } : { applied: true, name: "mymaster", oldMaster: "127.0.1.1:6000", newMaster: "127.0.2.1:6001", replicas: [], writableMs: 250 }));
    expect(r.calls).toEqual([{ tool: "lab_list", args: {} }, { tool: "sentinel_failover", args: { lab: "ha", name: "mymaster" } }]);
    expect(r.last).toEqual({ done: "Failed over mymaster from 127.0.1.1:6000 to 127.0.2.1:6001: writable after 250 ms; every sentinel and replica follows the new master." });
    expect(r.verify).toEqual({ tool: "sentinel_check", args: { lab: "ha", name: "mymaster" } });
  });

  it("sentinels named by address outside any lab: those sentinels", () => {
    const r = walk("fail over orders at 127.0.0.1:26379", (c) => (c.tool === "lab_list" ? { labs: [] } : { applied: true, name: "orders", oldMaster: "a", newMaster: "b", replicas: [], writableMs: 1 }));
    expect(r.calls.at(-1)).toEqual({ tool: "sentinel_failover", args: { nodes: ["127.0.0.1:26379"], name: "orders" } });
  });

  const refusals: [string, object[], RegExp][] = [
    ["fail over mymaster", [HA, HA2], /^Several labs run sentinels \(ha, ha2\); say which one, e\.g\. "fail over mymaster in lab ha"/],
    ["fail over mymaster", [CLUSTER, RR], /^No lab runs sentinels/],
    ["fail over mymaster in lab demo", [CLUSTER], /^Lab demo runs a Redis Cluster, which fails over by itself and has no Sentinel master named mymaster/],
    ["fail over mymaster in lab rr", [RR], /^No sentinels run at lab rr, so no master is named mymaster there/],
    ["fail over mymaster in lab nowhere", [RR], /^No lab is named nowhere; the labs are rr/],
  ];
  it.each(refusals)("%s (labs %#) is refused in one sentence", (request, l, message) => {
    const { next } = planOf(request, [labs(...l)]);
    expect(next).toMatchObject({ refuse: expect.stringMatching(message) });
  });

  it("plain replication: the master in the lab is switched over by hand (no sentinels to do it)", () => {
    const r = walk("fail over the master in lab rr", (c) => (c.tool === "lab_list" ? { labs: [RR] } : c.tool === "replication_info" ? { nodes: RR_ROWS, unreachable: [] } : { applied: true, from: "127.0.1.1:8000", to: "127.0.1.3:8002", writableMs: 3 }));
    expect(r.calls.at(-1)).toEqual({ tool: "replication_switchover", args: { lab: "rr", master: "127.0.1.1:8000" } });
    expect(planOf("fail over 2 masters in lab rr", [labs(RR)]).next).toMatchObject({ reason: "impossible", refuse: expect.stringMatching(/^Lab rr runs one master with its replicas, so 2 masters cannot be failed over/) });
  });

  it("the cluster rows stay the cluster's: the master in a cluster lab fails over with cluster_failover", () => {
    const r = walk("fail over the master in lab demo", (c) => (c.tool === "lab_list" ? { labs: [CLUSTER, HA] } : c.tool === "cluster_info" ? { nodes: clusterRows } : { applied: true }));
    expect(r.calls.map((c) => c.tool)).toEqual(["lab_list", "cluster_info", "cluster_failover"]);
    expect(r.calls[2].args).toEqual({ lab: "demo", replica: "127.0.1.3:7002" });
  });
});

describe("force and takeover are a Redis Cluster's", () => {
  it("a forced failover at a Sentinel lab is refused, naming the word, not run as a plain one", () => {
    const r = walk("force a failover of the master in lab ha", (c) => (c.tool === "lab_list" ? { labs: [HA] } : { nodes: HA_ROWS, unreachable: [] }));
    expect(r.calls.map((c) => c.tool)).toEqual(["lab_list"]);
    expect(r.last).toMatchObject({ reason: "impossible", refuse: expect.stringMatching(/force failover .* runs Sentinel\. Ask without "force"/) });
  });
});
