/**
 * Forty fresh phrasings (none of them in agent-parse.test.ts), one row each, over the
 * family list: each lands in the family it names with its numbers, a question goes to a
 * family that only looks, and a request naming something the plan would not honour (a
 * second cluster, replication between clusters, a role pinned to a region, a number it
 * cannot place, two places) is refused naming that part. Then the family list's own
 * rules: one file per family, every family reachable, every refusal in one sentence.
 */
import { describe, expect, it } from "vitest";
import { changedSinceVerified } from "../src/agent/builtin-planner.js";
import type { CallOutcome } from "../src/agent/planner.js";
import type { InvokeResult } from "../src/registry/invoke.js";
import { FAMILIES, familyNamed } from "../src/agent/families/index.js";
import { parseRequest } from "../src/agent/parse.js";
import { allTools } from "../tools/index.js";

const parse = (request: string) => parseRequest(request, undefined, allTools);
const layout = (masters: number, replicasPerMaster: number, zones = 1) => ({
  family: "create_cluster",
  layout: { masters, replicasPerMaster, nodes: masters * (1 + replicasPerMaster), zones },
});
/** A refusal for a part the plan would drop: its reason and the words it names. */
const unhonoured = (names: RegExp) => ({ family: "refusal", reason: "unhonoured", message: expect.stringMatching(names) });

const rows: [string, object][] = [
  // Creates
  ["spin up a redis cluster with four shards and two replicas for every shard", layout(4, 2)],
  ["I'd like a cluster of 6 nodes, three of them masters", layout(3, 1)],
  ["build a 9-node cluster with three masters spread across three racks", layout(3, 2, 3)],
  ["create a cluster with replication factor 3 across 3 availability zones", layout(3, 2, 3)],
  ["give me a redis cluster of 8 nodes with 4 primaries in lab shop", { ...layout(4, 1), where: { lab: "shop" } }],
  ["create a cluster called staging-2 with 5 masters and no replicas", { ...layout(5, 0), where: { lab: "staging-2" } }],
  // Looks
  ["audit target prod", { family: "check_cluster", where: { target: "prod" } }],
  ["run a health check on 127.0.0.1:7000", { family: "check_cluster", where: { nodes: ["127.0.0.1:7000"] } }],
  ["check that the 9 node cluster in lab demo has 2 replicas per master", { family: "check_cluster", where: { lab: "demo" }, expected: { nodes: 9, replicasEach: 2 } }],
  ["list my labs", { family: "lab_list" }],
  // Questions are requests to look
  ["is the cluster in lab demo healthy?", { family: "check_cluster", where: { lab: "demo" } }],
  ["is lab shop down?", { family: "check_cluster", where: { lab: "shop" } }],
  ["what's wrong with the cluster on target staging?", { family: "check_cluster", where: { target: "staging" } }],
  // Without the lab's facts the words cannot tell a cluster: replication_status reads first (a lab read as a cluster goes to cluster_info).
  ["how many replicas does lab demo have?", { family: "replication_status", where: { lab: "demo" }, look: "show" }],
  ["which node is the master in lab demo", { family: "replication_status", where: { lab: "demo" }, look: "show" }],
  ["which node is master for slot 0 in lab demo?", { family: "cluster_info", where: { lab: "demo" }, slot: 0 }],
  ["does lab demo have 3 masters?", { family: "cluster_info", where: { lab: "demo" }, expected: { masters: 3 } }],
  ["can you tell me how many nodes the prod target has", { family: "cluster_info", where: { target: "prod" } }],
  ["how many clusters do I have running?", { family: "lab_list" }],
  ["how do I add a replica to lab demo?", { family: "refusal", reason: "question", message: expect.stringMatching(/question about adding read replicas/) }],
  // Housekeeping and operations
  ["tear down lab shop", { family: "lab_down", where: { lab: "shop" } }],
  ["destroy the lab", { family: "refusal", reason: "ambiguous" }],
  ["promote a replica in lab demo", { family: "failover", where: { lab: "demo" } }],
  ["migrate 2000 slots to 127.0.0.1:7006", { family: "reshard", slots: 2000, where: { nodes: ["127.0.0.1:7006"] } }],
  ["rebalance lab demo so every master has the same number of slots", { family: "rebalance", where: { lab: "demo" } }],
  ["repair the broken cluster on target staging", { family: "fix_cluster", where: { target: "staging" } }],
  ["crash a replica in lab demo", { family: "node_fault", count: 1, role: "replica", where: { lab: "demo" } }],
  ["decommission 2 replicas from lab demo", { family: "remove_node", count: 2, where: { lab: "demo" } }],
  ["attach another replica to each master in lab demo", { family: "add_replicas", count: 1, where: { lab: "demo" } }],
  ["expand lab demo by three masters", { family: "add_node", count: 3, role: "master", where: { lab: "demo" } }],
  ["replicate one primary to three replicas across 3 sites", { family: "replication", replicas: 3, zones: 3 }],
  ["sentinel-managed master with 2 replicas and 5 sentinels", { family: "sentinel", sentinels: 5, quorum: 3, replicas: 2 }],
  ["set up sentinels watching a redis cluster", { family: "refusal", reason: "impossible", message: expect.stringMatching(/^Sentinel watches a master and its replicas, not a Redis Cluster/) }],
  // A meaningful part the plan would drop is refused, named
  ["create two clusters with 3 masters each", unhonoured(/more than one cluster \("2 clusters"\)/)],
  ["create a cluster in us-east-1 and replicate it to a second cluster in eu-west-1", unhonoured(/more than one cluster \("second cluster"\)/)],
  ["set up cross-region replication between two redis clusters", unhonoured(/more than one cluster|replication between clusters/)],
  ["create a 6 node cluster with masters in us-east-1 and replicas in us-west-2", unhonoured(/masters or replicas pinned to a named zone/)],
  ["create a 6 node cluster with 3 masters and 16 gb of memory each", unhonoured(/a memory limit or eviction policy \("16 gb"\)/)],
  ["create a 6 node cluster with 3 masters in 5 minutes", unhonoured(/^The request says "in 5 minutes", and creating a Redis Cluster has no place for that number/)],
  ["check the cluster in lab demo at 127.0.0.1:7000", unhonoured(/^The request names lab demo and 127\.0\.0\.1:7000, and checking a Redis Cluster acts on one place/)],
];

describe("forty fresh phrasings", () => {
  it("has forty rows, none of them repeated", () => {
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map(([r]) => r)).size).toBe(40);
  });

  it.each(rows)("%s", (request, expected) => {
    expect(parse(request)).toMatchObject(expected);
  });
});

describe("parts the plan would drop", () => {
  it.each([
    ["deploy a 6 node cluster on kubernetes", /Kubernetes \("kubernetes"\)/],
    ["create a cluster with 3 masters on redis 7.2", /a Redis version \("redis 7\.2"\)/],
    ["create a cluster with tls", /TLS \("tls"\)/],
    ["check lab demo and lab shop", /two labs \(demo and shop\)/],
    ["create a cluster on target prod across 3 zones", /^Zones in a request shape a new lab; target prod has the zones its config gives/],
    ["create a cluster with 3 masters and 2 replicas each and 1 replica in the other zone", /"and 1 replica"/],
  ])("%s", (request, message) => {
    const r = parse(request);
    expect(r).toMatchObject({ family: "refusal", reason: "unhonoured" });
    if (r.family === "refusal") expect(r.message).toMatch(message);
  });

  it("Docker is honoured when lab_up takes a backend, and only for a new lab", () => {
    expect(parse("build a docker cluster with 6 nodes")).toMatchObject({ ...layout(3, 1), backend: "docker" });
    const withoutBackend = allTools.map((t) => (t.name === "lab_up" ? { ...t, input: t.input.omit({ backend: true }) } : t)) as typeof allTools;
    expect(parseRequest("build a docker cluster with 6 nodes", undefined, withoutBackend)).toMatchObject(unhonoured(/Docker containers \("docker"\)/));
    expect(parse("create a cluster on target prod in docker")).toMatchObject(unhonoured(/Docker containers/));
  });

  it("a password is honoured when lab_up takes one, and kept exactly as typed", () => {
    expect(parse("create a 6 node cluster with 3 masters and password Hunter2-pw")).toMatchObject({ ...layout(3, 1), password: "Hunter2-pw" });
  });

  it("a named region is a lab zone, and the plan says so", () => {
    expect(parse("create a cluster across us-east-1 and eu-west-1")).toMatchObject({
      ...layout(3, 1, 2),
      assumed: expect.arrayContaining([expect.stringMatching(/^us-east-1 as lab zone z1, eu-west-1 as lab zone z2/)]),
    });
  });
});

describe("the family list", () => {
  it("names each family once, and each family says what it needs", () => {
    const names = FAMILIES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of FAMILIES) {
      expect(f.name).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
      expect(f.doing).toMatch(/^[A-Z]/);
      expect(f.tools.length).toBeGreaterThan(0);
      expect(f.match ?? f.fallback).toBeTypeOf("function");
      expect(familyNamed(f.name)).toBe(f);
    }
  });

  it("each family's own example lands in that family", () => {
    for (const f of FAMILIES) expect(parse(f.example), f.example).toMatchObject({ family: f.name });
  });

  it("a question never lands in a family that changes things", () => {
    for (const f of FAMILIES.filter((x) => x.effect === "change")) {
      const r = parse(`how would you ${f.example}?`);
      expect(r.family, f.example).toBe("refusal");
    }
  });
});

describe("done and verified", () => {
  const outcome = (tool: string, result: Partial<Extract<InvokeResult, { ok: true }>> & { output?: Record<string, unknown> }): CallOutcome => ({
    call: { id: tool, tool, args: {} },
    result: { ok: true, summary: "", durationMs: 1, output: {}, ...result } as InvokeResult,
  });
  const started = outcome("lab_up", { output: { name: "x", dryRun: false } });
  const created = outcome("cluster_create", { output: { ok: true, findings: [] } });
  const checkedBad = outcome("cluster_check", { output: { ok: false, findings: [] } });
  const checked = outcome("cluster_check", { output: { ok: true, findings: [] } });
  const planned = outcome("lab_up", { output: { name: "x", dryRun: true } });

  it.each<[string, CallOutcome[], string[], boolean]>([
    ["nothing ran", [], ["cluster_check"], false],
    ["a change, no check", [started], ["cluster_check"], true],
    ["a change its own tool verified", [started, created], ["cluster_create", "cluster_check"], false],
    ["verified by a tool that does not count", [started, created], ["cluster_check"], true],
    ["a failed check proves nothing", [started, checkedBad], ["cluster_check"], true],
    ["a passing check after the change", [started, checkedBad, checked], ["cluster_check"], false],
    ["a change after the check", [checked, started], ["cluster_check"], true],
    ["a dry run changes nothing", [planned], ["cluster_check"], false],
    ["reads change nothing", [outcome("cluster_info", {})], ["cluster_check"], false],
  ])("%s", (_name, history, by, expected) => {
    expect(changedSinceVerified(history, allTools, by)).toBe(expected);
  });
});
