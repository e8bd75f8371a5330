/**
 * The built-in planner's request parser: one row per way operators phrase a request.
 * Each row pins the family and numbers (or the refusal and its reason), so a change
 * in wording support shows up here as a named row, not as a surprise in the loop.
 */
import { describe, expect, it } from "vitest";
import { parseRequest } from "../src/agent/parse.js";
import { layoutsFor } from "../src/agent/cluster-layout.js";
import type { ExistingLab } from "../src/agent/existing-lab.js";

const layout = (masters: number, replicasPerMaster: number, zones = 1) => ({
  family: "create_cluster",
  layout: { masters, replicasPerMaster, nodes: masters * (1 + replicasPerMaster), zones },
});

const creates: [string, ReturnType<typeof layout>][] = [
  ["Create a 6-node Redis Cluster with 3 masters", layout(3, 1)],
  ["create a cluster with 4 primaries and 2 replicas each", layout(4, 2)],
  ["make a 9 node cluster with 3 shards", layout(3, 2)],
  ["Create a six-node cluster with three masters", layout(3, 1)],
  ["twelve node cluster with 4 masters", layout(4, 2)],
  ["build a cluster with 3 master nodes and 3 slaves", layout(3, 1)],
  ["Set up a cluster with 3 primaries, each with two secondaries", layout(3, 2)],
  ["create a cluster with 3 masters and 2 read replicas per master", layout(3, 2)],
  ["create a cluster", layout(3, 1)],
  ["create a 3 node cluster", layout(3, 0)],
  ["cluster with 3 masters and no replicas", layout(3, 0)],
  ["Create a twenty-four node cluster with eight masters", layout(8, 2)],
  ["create a dozen-node cluster with 4 masters", layout(4, 2)],
  ["create a cluster with 3 shards and a replica per shard", layout(3, 1)],
  ["I need a Redis Cluster with 5 primaries and one replica apiece", layout(5, 1)],
  ["deploy an 8 node cluster", layout(4, 1)],
  ["create a 12 server cluster with 1 replica per master", layout(6, 1)],
  ["a 6 instance cluster with 3 leaders", layout(3, 1)],
  ["6 node cluster across 3 datacenters", layout(3, 1, 3)],
  ["multi-datacenter cluster with 3 masters and 1 replica each", layout(3, 1, 3)],
  ["create a cluster with 3 masters and 2 replicas each spread over 2 availability zones", layout(3, 2, 2)],
  ["create a multi-zone cluster", layout(3, 1, 3)],
  ["Create a cluster with 3 masters and 3 replicas", layout(3, 1)],
  ["create a 6 node cluster with 3 replicas", layout(3, 1)],
  ["make a cluster with 3 masters and 6 slaves", layout(3, 2)],
  ["spin up a cluster with 3 masters with a pair of replicas each", layout(3, 2)],
  ["Create a 6 node redis cluster with three primaries and three replicas", layout(3, 1)],
  ["build me a cluster: 3 shards, 2 replicas per shard", layout(3, 2)],
  ["I want a 12-node cluster with 4 masters across 2 zones", layout(4, 2, 2)],
  ["create a cluster with 6 masters and 6 slaves in 3 datacenters", layout(6, 1, 3)],
  ["deploy a cluster of 9 servers with 3 masters", layout(3, 2)],
  ["provision a redis cluster with 3 primary nodes and 1 secondary per primary", layout(3, 1)],
  ["create a sharded cluster with 5 shards and no replicas", layout(5, 0)],
  ["Create a 6-node cluster with 3 masters over 2 regions", layout(3, 1, 2)],
  ["5 nodes with 5 masters", layout(5, 0)],
  // Negation: "without any replicas" is none, "(not sentinel)" names no family.
  ["3 masters without any replicas", layout(3, 0)],
  ["create a cluster with 3 masters (not sentinel)", layout(3, 1)],
  // "N replicas" fewer than the masters means N per master; each-like words always do.
  ["a 6 node cluster with 1 replica", layout(3, 1)],
  ["3 masters with 1 replica", layout(3, 1)],
  ["4 masters and 2 replicas", layout(4, 2)],
  ["cluster with 3 masters and 2 replicas", layout(3, 2)],
  ["three masters each backed by one replica", layout(3, 1)],
  ["create a cluster with 3 masters and add 1 replica to each", layout(3, 1)],
  // A replication factor counts copies: factor N is N - 1 replicas per master.
  ["3 shards with replication factor 2", layout(3, 1)],
  ["create a cluster with 3 masters and a replication factor of three", layout(3, 2)],
  // Placement and failures are not sizes.
  ["create a 6 node cluster on a single machine", layout(3, 1)],
  ["create a cluster on one host", layout(3, 1)],
  ["create a 6 node cluster that tolerates a node failover", layout(3, 1)],
  ["create a cluster that can survive failures", layout(3, 1)],
  ["build a cluster with 3 masters that can recover from failures", layout(3, 1)],
  ["create a 12 node cluster with 4 masters that survives losing 2 nodes", layout(4, 2)],
  // Surviving a failure needs replicas, which settles "9 nodes" (3x2, not 9 masters alone).
  ["create a 9 node cluster that survives a node failure", layout(3, 2)],
  // Zones: named regions count; surviving a zone's loss needs a majority of masters outside it.
  ["create a cluster across us-east-1 and us-west-2", layout(3, 1, 2)],
  ["create a 6 node cluster in eu-west-1a, eu-west-1b and eu-west-1c", layout(3, 1, 3)],
  ["create a 6 node cluster that can survive a datacenter failure", layout(3, 1, 3)],
];

describe("parseRequest: create a cluster", () => {
  it.each(creates)("%s", (request, expected) => {
    expect(parseRequest(request)).toMatchObject(expected);
  });

  it("records the defaults it chose", () => {
    expect(parseRequest("create a cluster")).toMatchObject({ assumed: [expect.stringMatching(/3 masters with 1 replica each/)] });
    expect(parseRequest("Create a 6-node Redis Cluster with 3 masters")).toMatchObject({ assumed: [] });
    expect(parseRequest("create a multi-zone cluster with 3 masters")).toMatchObject({ assumed: expect.arrayContaining(["3 zones"]) });
    expect(parseRequest("4 masters and 2 replicas")).toMatchObject({ assumed: ["2 replicas per master (fewer replicas than masters can only mean per master)"] });
    expect(parseRequest("create a cluster that survives a zone outage")).toMatchObject({ assumed: expect.arrayContaining([expect.stringMatching(/^3 zones, so a majority of masters/)]) });
  });
});

const wheres: [string, object][] = [
  ["spin up a 12 node cluster with 6 shards in lab shop", { lab: "shop" }],
  ["create a cluster named orders with 3 masters", { lab: "orders" }],
  ["create a cluster called 'six' with three masters", { lab: "six" }],
  ["create a 6 node cluster in the zones-2 lab", { lab: "zones-2" }],
  ["create a cluster in a lab", {}],
  ["Create a 6-node cluster with 3 masters named shop-1", { lab: "shop-1" }],
  ["create a cluster on the target called staging", { target: "staging" }],
  ["create a cluster on target prod with 3 masters", { target: "prod" }],
  ["create a cluster on 127.0.0.1:7000 127.0.0.1:7001 127.0.0.1:7002", { nodes: ["127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002"] }],
  ["create a cluster on 127.0.0.1:7000-7005", { nodes: ["127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003", "127.0.0.1:7004", "127.0.0.1:7005"] }],
  ["create a 6 node lab cluster named shop", { lab: "shop" }],
];

describe("parseRequest: where", () => {
  it.each(wheres)("%s", (request, where) => {
    expect(parseRequest(request)).toMatchObject({ family: "create_cluster", where });
  });

  it.each([
    "create a 6 node lab cluster",
    "create a cluster in a lab environment",
    "start a 6-node lab cluster",
    "create a cluster in the lab sandbox",
  ])("%s: a request word is never a lab name", (request) => {
    expect(parseRequest(request)).toMatchObject({ family: "create_cluster", where: {} });
    expect((parseRequest(request) as { where: object }).where).toEqual({});
  });

  it("does not read numbers inside addresses as counts", () => {
    expect(parseRequest("create a cluster on 127.0.0.1:7000 127.0.0.1:7001 127.0.0.1:7002 with 3 masters and no replicas")).toMatchObject(layout(3, 0));
  });
});

const refusals: [string, "impossible" | "ambiguous" | "unknown", RegExp][] = [
  ["5 nodes with 3 masters and 1 replica each", "impossible", /5 nodes cannot hold 3 masters with 1 replica each: that takes 6 nodes/],
  ["create a cluster with 2 masters", "impossible", /at least 3 masters/],
  ["Create a cluster with 1 master", "impossible", /at least 3 masters/],
  ["create a 2 node cluster", "impossible", /at least 3 masters/],
  ["create a 6 node cluster with 2 masters and 2 replicas each", "impossible", /at least 3 masters/],
  ["create a 9 node cluster", "ambiguous", /9 nodes can be 3 masters with 2 replicas each or 9 masters without replicas/],
  ["Create a 7-node cluster with 3 masters", "impossible", /7 nodes do not split evenly over 3 masters/],
  ["cluster with 3 masters and 4 replicas", "ambiguous", /4 replicas do not split evenly over 3 masters/],
  ["create a 1 node cluster", "impossible", /so 1 node is too few\./],
  ["create a 1 node cluster with 3 masters", "impossible", /^1 node does not split evenly over 3 masters/],
  ["sentinel with 2 sentinels", "impossible", /^2 sentinels cannot authorize a failover after losing one: a failover needs a majority of the sentinels \(2 of 2\)/],
  ["create a fault-tolerant 3 node cluster", "impossible", /^3 nodes cannot survive a node failure: they only make 3 masters without replicas/],
  ["cluster with 3 masters and no replicas that survives a failure", "impossible", /^3 masters without replicas cannot survive a node failure/],
  ["6 nodes and 2 replicas", "impossible", /^6 nodes with 2 replicas per master make only 2 masters, and a Redis Cluster needs at least 3\.$/],
  ["stop the lab", "ambiguous", /does not name the lab to stop/],
  ["create a cluster on 127.0.0.1:7005-7000", "impossible", /port range 127\.0\.0\.1:7005-7000 names no port \(it runs backwards\)/],
  ["create a 6 node cluster with 3 masters and 4 shards", "ambiguous", /3 masters and 4 shards/],
  ["create a 10 node cluster with 2 replicas each", "impossible", /10 nodes cannot be split into masters with 2 replicas each/],
  ["a 100 node cluster with 50 masters", "impossible", /more than a lab runs/],
  ["create a 6 node cluster in 7 zones", "impossible", /7 zones cannot be filled by 6 nodes/],
  ["sentinel with 3 sentinels and a quorum of 4", "impossible", /quorum of 4 can never be reached by 3 sentinels/],
  ["make me a sandwich", "unknown", /did not recognise/],
  ["what's the weather like", "unknown", /did not recognise/],
  ["Create a 4 node cluster with 2 masters", "impossible", /at least 3 masters/],
  ["replication with no replicas", "impossible", /at least one replica/],
];

describe("parseRequest: refusals say why and what would work", () => {
  it.each(refusals)("%s", (request, reason, message) => {
    const r = parseRequest(request);
    expect(r).toMatchObject({ family: "refusal", reason });
    if (r.family !== "refusal") return;
    expect(r.message).toMatch(message);
    expect(r.suggestion).toMatch(/^(Ask|Say|Give|Try) .+\.$/);
  });

  it("2 sentinels suggest 3", () => {
    const r = parseRequest("set up sentinel with 2 sentinels and quorum 1");
    expect(r.family === "refusal" && r.suggestion).toBe("Ask for 3 sentinels with quorum 2 (any one can be lost).");
  });

  it("suggests the layout that fits for 5 nodes", () => {
    const r = parseRequest("5 nodes with 3 masters and 1 replica each");
    expect(r.family === "refusal" && r.suggestion).toBe("Ask for 6 nodes, or for 5 masters without replicas on 5 nodes.");
  });
});

const others: [string, object][] = [
  ["Set up replication with 2 replicas", { family: "replication", replicas: 2, zones: 1 }],
  ["a master with two read replicas", { family: "replication", replicas: 2 }],
  ["replication across 2 datacenters with 2 replicas", { family: "replication", replicas: 2, zones: 2 }],
  ["Set up Sentinel with 3 sentinels and quorum 2", { family: "sentinel", sentinels: 3, quorum: 2, replicas: 2 }],
  ["sentinel with five sentinels, one master and 2 slaves", { family: "sentinel", sentinels: 5, quorum: 3, replicas: 2 }],
  ["add two read replicas to lab demo", { family: "add_replicas", count: 2, where: { lab: "demo" } }],
  ["add a node to lab demo", { family: "add_node", count: 1, role: "master", where: { lab: "demo" } }],
  ["scale out by 2 masters", { family: "add_node", count: 2, role: "master" }],
  ["remove a node from the cluster", { family: "remove_node", count: 1 }],
  ["reshard 1000 slots in lab demo", { family: "reshard", slots: 1000, where: { lab: "demo" } }],
  ["rebalance the cluster", { family: "rebalance" }],
  ["fix the cluster in lab demo", { family: "fix_cluster", where: { lab: "demo" } }],
  ["fail over the master in lab demo", { family: "failover", where: { lab: "demo" } }],
  ["check the cluster in lab demo", { family: "check_cluster", where: { lab: "demo" } }],
  ["is my cluster healthy?", { family: "check_cluster", where: {} }],
  ["verify 127.0.0.1:7000", { family: "check_cluster", where: { nodes: ["127.0.0.1:7000"] } }],
  ["check the prod target", { family: "check_cluster", where: { target: "prod" } }],
  ["set up a cluster and check it", { family: "create_cluster" }],
  ["check the cluster in lab six", { family: "check_cluster", where: { lab: "six" } }],
  ["set up a primary with 3 read replicas in 2 datacenters", { family: "replication", replicas: 3, zones: 2 }],
  ["deploy sentinel with quorum 2", { family: "sentinel", sentinels: 3, quorum: 2, assumed: ["3 sentinels", "2 replicas"] }],
  ["redis sentinel with 3 sentinels, quorum of 2, one master and two replicas", { family: "sentinel", sentinels: 3, quorum: 2, replicas: 2 }],
  ["promote the replica at 127.0.0.1:7001", { family: "failover", where: { nodes: ["127.0.0.1:7001"] } }],
  ["move 500 slots to the new master", { family: "reshard", slots: 500 }],
  ["decommission node 127.0.0.1:7005", { family: "remove_node", count: 1, where: { nodes: ["127.0.0.1:7005"] } }],
  ["scale in the cluster by one master", { family: "remove_node", count: 1 }],
  ["grow the cluster by 2 shards", { family: "add_node", count: 2, role: "master" }],
  ["add 3 read replicas", { family: "add_replicas", count: 3 }],
  ["health check of target prod", { family: "check_cluster", where: { target: "prod" } }],
  ["repair open slots in lab demo", { family: "fix_cluster", where: { lab: "demo" } }],
  ["rebalance slots across the masters in lab demo", { family: "rebalance", where: { lab: "demo" } }],
  // A check word without a create verb is a check, whatever numbers it mentions.
  ["show me the status of a 6 node cluster", { family: "check_cluster", where: {} }],
  ["health of the 6 node cluster in lab demo", { family: "check_cluster", where: { lab: "demo" } }],
  ["validate the 3 masters in lab demo have replicas", { family: "check_cluster", where: { lab: "demo" } }],
  ["I want to check the 6 node cluster in lab demo", { family: "check_cluster", where: { lab: "demo" } }],
  // A create verb aimed at something else is not a create.
  ["start a failover of the cluster in lab demo", { family: "failover", where: { lab: "demo" } }],
  ["take down one node in lab demo", { family: "node_fault", where: { lab: "demo" } }],
  ["kill 1 master in lab demo", { family: "node_fault", where: { lab: "demo" } }],
  ["bring down a node in lab demo", { family: "node_fault", where: { lab: "demo" } }],
  ["add 2 nodes as replicas", { family: "add_replicas", count: 2 }],
  // Lab housekeeping and reads route to the tools that exist.
  ["delete lab demo", { family: "lab_down", where: { lab: "demo" } }],
  ["stop lab demo", { family: "lab_down", where: { lab: "demo" } }],
  ["tear down the demo lab", { family: "lab_down", where: { lab: "demo" } }],
  ["list labs", { family: "lab_list" }],
  ["which labs are running?", { family: "lab_list" }],
  ["cluster info of lab demo", { family: "cluster_info", where: { lab: "demo" } }],
  ["cluster info", { family: "cluster_info", where: {} }],
  ["describe the cluster on target prod", { family: "cluster_info", where: { target: "prod" } }],
];

describe("parseRequest: other families", () => {
  it.each(others)("%s", (request, expected) => {
    expect(parseRequest(request)).toMatchObject(expected);
  });
});

const lab = (facts: Partial<ExistingLab> = {}): ExistingLab => ({ name: "demo", nodes: 6, zones: 1, cluster: true, down: [], replicas: 0, keys: 0, ...facts });

describe("parseRequest: a create in a lab that already runs uses its nodes", () => {
  it.each([
    ["create a cluster in lab demo", lab(), 3, 1],
    ["create a cluster with 3 masters in lab demo", lab({ nodes: 9 }), 3, 2],
    ["create a cluster without replicas in lab demo", lab({ nodes: 4 }), 4, 0],
    ["create a 6 node cluster in lab demo", lab(), 3, 1],
  ])("%s", (request, facts, masters, replicasPerMaster) => {
    expect(parseRequest(request, facts)).toMatchObject({
      family: "create_cluster",
      inExistingLab: true,
      where: { lab: "demo" },
      layout: { masters, replicasPerMaster, nodes: facts.nodes, zones: 1 },
    });
  });

  it("ignores facts about another lab", () => {
    expect(parseRequest("create a cluster in lab shop", lab())).not.toHaveProperty("inExistingLab");
  });

  it.each([
    ["create a cluster in lab demo", lab({ nodes: 2 }), /^Lab demo has 2 nodes: a Redis Cluster needs at least 3 masters, so 2 nodes are too few\.$/],
    ["create a cluster in lab demo", lab({ nodes: 9 }), /^Lab demo has 9 nodes: 9 nodes can be 3 masters with 2 replicas each or 9 masters without replicas\.$/],
    ["create a 12 node cluster in lab demo", lab(), /^Lab demo has 6 nodes in 1 zone, and the request asks for 12 nodes\.$/],
    ["create a cluster in lab demo", lab({ cluster: false }), /^Lab demo runs without cluster mode/],
    ["create a cluster in lab demo", lab({ replicas: 3 }), /^Lab demo is already in use: 3 nodes already replicate\.$/],
    ["create a cluster in lab demo", lab({ keys: 1 }), /^Lab demo is already in use: it holds 1 key\.$/],
    ["create a cluster in lab demo", lab({ down: ["127.0.1.1:7000"] }), /^Lab demo has 1 node down \(127\.0\.1\.1:7000\)\.$/],
  ])("%s (%o): refused", (request, facts, message) => {
    const r = parseRequest(request, facts);
    expect(r).toMatchObject({ family: "refusal" });
    if (r.family === "refusal") expect(r.message).toMatch(message);
  });
});

describe("layoutsFor", () => {
  it.each([
    [2, []],
    [3, [[3, 0]]],
    [6, [[3, 1], [6, 0]]],
    [9, [[3, 2], [9, 0]]],
    [12, [[3, 3], [4, 2], [6, 1], [12, 0]]],
  ])("%i nodes", (n, expected) => {
    expect(layoutsFor(n).map((l) => [l.masters, l.replicasPerMaster])).toEqual(expected);
  });
});
