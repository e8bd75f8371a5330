// Questions and looks at replication and Sentinel ("which node is master", "how many replicas
// does X have", "show replication status of lab L") go to the replication_status family, which
// reads only: it finds what runs there (lab_list, replication_info) and answers with
// replication_info, replication_check or sentinel_check, or, on a Redis Cluster, with the
// cluster families' own reads. Tables of requests and of hand-written histories; pure.
import { describe, expect, it } from "vitest";
import type { CallOutcome } from "../src/agent/planner.js";
import { FAMILIES, familyNamed } from "../src/agent/families/index.js";
import type { AnyFamily, Next, PlanEnv } from "../src/agent/families/family.js";
import type { ExistingLab } from "../src/agent/existing-lab.js";
import { parseRequest } from "../src/agent/parse.js";
import { isMutating } from "../src/registry/tool.js";
import { allTools } from "../tools/index.js";

const env: PlanEnv = { dryRun: false, newLab: "new", tools: allTools };
const ok = (tool: string, args: Record<string, unknown>, output: Record<string, unknown>, summary = ""): CallOutcome =>
  ({ call: { tool, args }, result: { ok: true, output, summary, durationMs: 1 } }) as CallOutcome;

const lab = (name: string, cluster: boolean, nodes: string[], sentinels: string[] = []) => ({ name, cluster, nodes: nodes.map((address) => ({ address })), ...(sentinels.length ? { sentinels: sentinels.map((address) => ({ address })) } : {}) });
const RR = lab("rr", false, ["127.0.1.1:8000", "127.0.1.2:8001", "127.0.1.3:8002"]);
const HA = lab("ha", false, ["127.0.1.1:6000", "127.0.2.1:6001"], ["127.0.1.2:26000", "127.0.2.2:26001", "127.0.3.1:26002"]);
const DEMO = lab("demo", true, ["127.0.1.1:7000", "127.0.1.2:7001", "127.0.1.3:7002"]);
const row = (address: string, role: "master" | "replica", extra: Record<string, unknown> = {}) => ({ address, role, offset: 0, keys: 0, clusterEnabled: false, ...(role === "master" ? { replicas: [] } : {}), ...extra });
const RR_ROWS = [row("127.0.1.1:8000", "master", { replicas: ["127.0.1.2:8001", "127.0.1.3:8002"] }), row("127.0.1.2:8001", "replica", { master: "127.0.1.1:8000", link: "up" }), row("127.0.1.3:8002", "replica", { master: "127.0.1.1:8000", link: "down" })];
const HA_ROWS = [row("127.0.1.1:6000", "master", { replicas: ["127.0.2.1:6001"] }), row("127.0.2.1:6001", "replica", { master: "127.0.1.1:6000", link: "up" })];
const CLUSTER_INFO = {
  nodes: [
    { address: "127.0.1.1:7000", role: "master", slots: "0-16383", health: "ok" },
    { address: "127.0.1.2:7001", role: "replica", master: "127.0.1.1:7000", slots: "", health: "ok" },
  ],
  totals: { nodes: 2, masters: 1, replicas: 1, slotsCovered: 16384, keys: 0 },
};

const status = (where: object, look: "check" | "show", sentinels = false) => ({ family: "replication_status", where, look, sentinels });

describe("phrasings", () => {
  const rows: [string, object][] = [
    ["which node is master?", status({}, "show")],
    ["which node is the master in lab rr", status({ lab: "rr" }, "show")],
    ["who is the primary in lab ha?", status({ lab: "ha" }, "show")],
    ["what is the master of 127.0.1.2:8001?", status({ nodes: ["127.0.1.2:8001"] }, "show")],
    ["how many replicas does 127.0.1.1:8000 have?", status({ nodes: ["127.0.1.1:8000"] }, "show")],
    ["how many slaves does target prod have", status({ target: "prod" }, "show")],
    ["can you tell me which node is the master in lab rr", status({ lab: "rr" }, "show")],
    ["show replication status of lab rr", status({ lab: "rr" }, "check")],
    ["show the replication in lab rr", status({ lab: "rr" }, "show")],
    ["check replication in lab rr", status({ lab: "rr" }, "check")],
    ["is replication healthy in lab rr?", status({ lab: "rr" }, "check")],
    ["are the replicas in lab rr ok?", status({ lab: "rr" }, "check")],
    ["check the sentinels in lab ha", status({ lab: "ha" }, "check", true)],
    ["are the sentinels in lab ha ok?", status({ lab: "ha" }, "check", true)],
    ["which master do the sentinels in lab ha watch?", status({ lab: "ha" }, "show", true)],
    // Not this family's: lag, setups, cluster words, a change asked as a question.
    ["how far behind are my replicas", { family: "replication_lag" }],
    ["Set up Redis Sentinel with 3 nodes for automatic failover", { family: "sentinel" }],
    ["Configure read replicas for scaling read operations", { family: "replication" }],
    ["which node is master for slot 0 in lab demo?", { family: "cluster_info", slot: 0 }],
    ["how many replicas does the cluster in lab demo have?", { family: "cluster_info" }],
    ["does lab demo have 3 masters?", { family: "cluster_info", expected: { masters: 3 } }],
    ["how do I add a replica to lab rr?", { family: "refusal", reason: "question" }],
  ];
  it.each(rows)("%s", (request, expected) => {
    expect(parseRequest(request, undefined, allTools)).toMatchObject(expected);
  });

  it("a named lab the planner read as a Redis Cluster is left to the cluster families", () => {
    const cluster: ExistingLab = { name: "demo", nodes: 6, zones: 1, cluster: true, down: [], replicas: 3, keys: 0 };
    expect(parseRequest("how many replicas does lab demo have?", cluster, allTools)).toMatchObject({ family: "cluster_info" });
    expect(parseRequest("which node is the master in lab demo", cluster, allTools)).toMatchObject({ family: "cluster_info" });
    expect(parseRequest("check replication in lab demo", cluster, allTools)).toMatchObject({ family: "check_cluster" });
    expect(parseRequest("how many replicas does lab demo have?", { ...cluster, cluster: false }, allTools)).toMatchObject(status({ lab: "demo" }, "show"));
  });

  it("is a look: every tool it names only reads, and it is listed before the families that change replication", () => {
    const family = familyNamed("replication_status")!;
    expect(family.effect).toBe("look");
    for (const name of family.tools) expect(isMutating(allTools.find((t) => t.name === name)!), name).toBe(false);
    const at = (n: string) => FAMILIES.findIndex((f) => f.name === n);
    expect(at("replication_status")).toBeLessThan(at("sentinel"));
    expect(at("replication_status")).toBeLessThan(at("replication"));
  });
});

/** Runs the plan over a script of outputs, returning the calls it made and its last answer. */
function walk(request: string, outputs: (call: { tool: string; args: Record<string, unknown> }) => [Record<string, unknown>, string?]) {
  const intent = parseRequest(request, undefined, allTools) as { family: string };
  const family = familyNamed(intent.family as never) as AnyFamily;
  const history: CallOutcome[] = [];
  for (let i = 0; i < 6; i++) {
    const next: Next = family.plan!(intent as never, history, env);
    if (!("call" in next)) return { calls: history.map((h) => [h.call.tool, h.call.args]), last: next };
    const [output, summary] = outputs(next.call);
    history.push(ok(next.call.tool, next.call.args, output, summary));
  }
  throw new Error("no end");
}

const labs = (...l: object[]) => [{ labs: l }] as [Record<string, unknown>];

describe("plans read only, and answer from what they read", () => {
  it("which node is master in lab rr: lab_list, replication_info, each master with its replicas and links", () => {
    const r = walk("which node is the master in lab rr", (c) => (c.tool === "lab_list" ? labs(RR, HA) : [{ nodes: RR_ROWS, unreachable: [] }]));
    expect(r.calls).toEqual([["lab_list", {}], ["replication_info", { lab: "rr" }]]);
    expect(r.last).toEqual({ done: "Read lab rr with replication_info: 127.0.1.1:8000 is a master with 2 replicas (127.0.1.2:8001 link up, 127.0.1.3:8002 link down)." });
  });

  it("how many replicas does an address no lab holds have: replication_info on it tells the kind and answers", () => {
    const r = walk("how many replicas does 127.0.9.1:8000 have?", (c) => (c.tool === "lab_list" ? labs(RR) : [{ nodes: RR_ROWS.slice(0, 2), unreachable: [{ address: "127.0.1.3:8002", error: "ECONNREFUSED" }] }]));
    expect(r.calls).toEqual([["lab_list", {}], ["replication_info", { nodes: ["127.0.9.1:8000"] }]]);
    expect((r.last as { done: string }).done).toBe("Read 127.0.9.1:8000 with replication_info: 127.0.1.1:8000 is a master with 2 replicas (127.0.1.2:8001 link up, 127.0.1.3:8002); 127.0.1.3:8002 did not answer.");
  });

  it("a replica whose master does not list it is said so", () => {
    const r = walk("what is the master of target prod?", () => [{ nodes: [row("127.0.1.2:8001", "replica", { master: "127.0.1.1:8000", link: "down" })], unreachable: [{ address: "127.0.1.1:8000", error: "ECONNREFUSED" }] }]);
    expect(r.calls).toEqual([["replication_info", { target: "prod" }]]);
    expect((r.last as { done: string }).done).toMatch(/127\.0\.1\.2:8001 is a replica of 127\.0\.1\.1:8000 \(link down\), which does not list it; 127\.0\.1\.1:8000 did not answer\.$/);
  });

  it("show replication status of lab rr: replication_check, answered with its summary", () => {
    const r = walk("show replication status of lab rr", (c) => (c.tool === "lab_list" ? labs(RR) : [{ ok: true, findings: [] }, "OK: 1 master, 2 replicas, 0 error(s).\n  more"]));
    expect(r.calls).toEqual([["lab_list", {}], ["replication_check", { lab: "rr" }]]);
    expect(r.last).toEqual({ done: "Read lab rr with replication_check: OK: 1 master, 2 replicas, 0 error(s)." });
  });

  it("the sentinels of the only lab: sentinel_check on it", () => {
    const r = walk("are the sentinels ok?", (c) => (c.tool === "lab_list" ? labs(HA) : [{ ok: true, findings: [] }, "OK: 3 sentinels watch mymaster at 127.0.1.1:6000, 0 error(s)."]));
    expect(r.calls).toEqual([["lab_list", {}], ["sentinel_check", { lab: "ha" }]]);
    expect((r.last as { done: string }).done).toBe("Read lab ha with sentinel_check: OK: 3 sentinels watch mymaster at 127.0.1.1:6000, 0 error(s).");
  });

  it("who is the master in a Sentinel lab: its nodes' replication, not the sentinels", () => {
    const r = walk("who is the master in lab ha?", (c) => (c.tool === "lab_list" ? labs(HA) : [{ nodes: HA_ROWS, unreachable: [] }]));
    expect(r.calls).toEqual([["lab_list", {}], ["replication_info", { lab: "ha" }]]);
  });

  it("on a Redis Cluster: the cluster's own reads; sentinels there are refused in one sentence", () => {
    const info = walk("which node is the master in lab demo", (c) => (c.tool === "lab_list" ? labs(DEMO) : [CLUSTER_INFO]));
    expect(info.calls).toEqual([["lab_list", {}], ["cluster_info", { lab: "demo" }]]);
    expect((info.last as { done: string }).done).toMatch(/^Read the cluster at lab demo: 2 nodes \(1 master, 1 replica\).* Masters: 127\.0\.1\.1:7000 \(1 replica\)\.$/);
    const check = walk("is replication healthy in lab demo?", (c) => (c.tool === "lab_list" ? labs(DEMO) : [{ ok: true, findings: [], counts: { nodes: 3, masters: 3, replicas: 0 } }]));
    expect(check.calls).toEqual([["lab_list", {}], ["cluster_check", { lab: "demo" }]]);
    const s = walk("check the sentinels in lab demo", () => labs(DEMO));
    expect(s.last).toEqual({ refuse: "No sentinels run at lab demo: a Redis Cluster fails over by itself.", reason: "impossible" });
  });

  it("no lab named and several run: asks which, changing nothing", () => {
    const r = walk("which node is master?", () => labs(RR, HA));
    expect(r.last).toMatchObject({ reason: "ambiguous", refuse: expect.stringMatching(/^Several labs exist \(rr, ha\); say which one, e\.g\. "check replication in lab rr"\.$/) });
  });
});
