/**
 * The multi-datacenter request family: its phrasings and variants read into one layout
 * (zones, Cluster or Sentinel, replicas, docker) or a refusal that says why, its plan
 * calls the zoned templates, and the built-in planner builds "Implement multi-datacenter
 * Redis deployment" end to end on real redis-server processes, verified.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseRequest } from "../src/agent/parse.js";
import { runAgent } from "../src/agent/run.js";
import { renderRun } from "../src/agent/render.js";
import { loadLab } from "../src/lab/index.js";
import { formatAddress } from "../src/redis/address.js";
import { allTools } from "../tools/index.js";
import { downAllLabs, useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";

useTempLabHome();
afterEach(downAllLabs);

const parse = (request: string) => parseRequest(request, undefined, allTools) as unknown as Record<string, unknown>;

describe("multi_dc: reading the request", () => {
  it.each<[string, Record<string, unknown>]>([
    ["Implement multi-datacenter Redis deployment", { family: "multi_dc", deployment: "cluster", zones: 3, replicas: 2 }],
    ["deploy redis across 3 datacenters", { family: "multi_dc", deployment: "cluster", zones: 3 }],
    ["set up a geo-distributed redis cluster over 5 regions", { family: "multi_dc", deployment: "cluster", zones: 5, replicas: 1 }],
    ["geo-distributed redis", { family: "multi_dc", zones: 5 }],
    ["multi-dc redis cluster in docker", { family: "multi_dc", backend: "docker", zones: 3 }],
    ["implement redis across 4 datacenters", { family: "multi_dc", zones: 4, replicas: 2 }],
    ["multi-datacenter redis deployment with 6 nodes", { family: "multi_dc", zones: 3, replicas: 1 }],
    ["multi-region redis with 1 replica per master over 3 regions", { family: "multi_dc", zones: 3, replicas: 1 }],
    ["geo-distributed cluster with 10 nodes", { family: "multi_dc", zones: 5, replicas: 1 }],
    // A cluster the request lays out itself stays with create_cluster, which spreads it over the zones.
    ["create a 6-node cluster across 3 zones", { family: "create_cluster" }],
    ["deploy a 12-node redis cluster across 4 datacenters", { family: "create_cluster" }],
    ["create a multi-zone cluster", { family: "create_cluster" }],
  ])("%s", (request, expected) => {
    expect(parse(request)).toMatchObject(expected);
  });

  it("Sentinel over 3 datacenters: the multi-dc-sentinel layout, once sentinel_check is in the registry to verify it", () => {
    const parsed = parse("implement a multi-datacenter redis deployment with sentinel");
    if (allTools.some((t) => t.name === "sentinel_check")) expect(parsed).toMatchObject({ family: "multi_dc", deployment: "sentinel", zones: 3 });
    else expect(parsed).toMatchObject({ family: "refusal", message: expect.stringMatching(/verified with sentinel_check/) });
  });

  it.each<[string, RegExp]>([
    ["Redis across 2 data centers", /2 datacenters cannot survive losing the one holding more masters/],
    ["multi-region sentinel over 5 regions", /Sentinel over 3 datacenters .* 5 were asked/],
    ["multi-datacenter deployment with 4 masters", /one master in each datacenter: 3 datacenters give 3 masters, not 4/],
    ["multi-datacenter deployment with 7 nodes", /7 nodes over 3 datacenters do not make one master per datacenter/],
    ["multi-datacenter deployment in lab demo", /built on a new lab/],
  ])("refuses %s", (request, message) => {
    expect(parse(request)).toMatchObject({ family: "refusal", message: expect.stringMatching(message) });
  });
});

describe("multi_dc: the built-in planner on the local lab", () => {
  it("Implement multi-datacenter Redis deployment: the multi-dc template, verified by cluster_check", async () => {
    const r = await runAgent({ request: "Implement multi-datacenter Redis deployment", planner: "builtin", config: { targets: {} }, newLabName: () => "mdc" });
    expect(r.outcome, renderRun(r)).toBe("verified");
    expect(r.steps.map((s) => [s.tool, s.args])).toEqual([
      ["lab_up", { name: "mdc", template: "multi-dc", replicas: 2 }],
      ["cluster_check", { lab: "mdc", replicasPerMaster: 2 }],
    ]);
    const lab = await loadLab("mdc");
    expect((await redisCliClusterCheck(formatAddress(lab!.nodes[0]))).ok).toBe(true);
  });

  it("a zone count without a template: lab_up over 4 zones, then cluster_create", async () => {
    const r = await runAgent({ request: "implement a redis deployment with 8 nodes across 4 datacenters", planner: "builtin", config: { targets: {} }, newLabName: () => "four", dryRun: true });
    expect(r.steps.map((s) => [s.tool, s.args])).toEqual([
      ["lab_up", { name: "four", nodes: 8, zones: 4, dryRun: true }],
      ["cluster_create", { lab: "four", replicas: 1, dryRun: true }],
    ]);
  });
});
