/**
 * The built-in planner end to end on real redis-server processes: the example
 * requests end verified (the 6-node one in 2 tool calls, wall time printed), refusals and
 * "not supported yet" touch nothing, a dry run starts nothing, and the transcript holds
 * every call. Every lab a test starts is downed by the test.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { runAgent, type AgentRun } from "../src/agent/run.js";
import { renderRun } from "../src/agent/render.js";
import { labUp, listLabs, loadLab } from "../src/lab/index.js";
import { downAllLabs, useTempLabHome } from "./helpers/env.js";

useTempLabHome();
afterEach(downAllLabs);

const run = (request: string, extra: Partial<Parameters<typeof runAgent>[0]> = {}): Promise<AgentRun> =>
  runAgent({ request, planner: "builtin", config: { targets: {} }, ...extra });

const transcript = (r: AgentRun) => readFileSync(r.transcriptPath, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("built-in planner on the local lab", () => {
  it("Create a 6-node Redis Cluster with 3 masters: 2 tool calls, verified", async () => {
    const started = performance.now();
    const r = await run("Create a 6-node Redis Cluster with 3 masters", { newLabName: () => "six" });
    const wallMs = performance.now() - started;
    process.stderr.write(`agent "Create a 6-node Redis Cluster with 3 masters": verified in ${(wallMs / 1000).toFixed(2)} s wall (target <= 2.5 s)\n`);
    expect(r.outcome, renderRun(r)).toBe("verified");
    expect(r.steps.map((s) => [s.tool, s.args])).toEqual([
      ["lab_up", { name: "six", nodes: 6, cluster: true, zones: 1 }],
      ["cluster_create", { lab: "six", replicas: 1, masters: 3 }],
    ]);
    expect(r.verification).toMatchObject({ ok: true, tool: "cluster_create", step: 2 });
    expect(r.labsStarted).toEqual(["six"]);

    // The outside judge: redis-cli agrees the cluster is whole.
    const lab = await loadLab("six");
    const seed = `${lab!.nodes[0].host}:${lab!.nodes[0].port}`;
    const { stdout } = await promisify(execFile)("redis-cli", ["--cluster", "check", seed]);
    expect(stdout).toContain("[OK] All 16384 slots covered.");

    const lines = transcript(r);
    expect(lines.map((l) => l.type)).toEqual(["request", "planner", "call", "planner", "call", "planner", "end"]);
    expect(lines.filter((l) => l.type === "call").map((l) => [l.tool, l.ok, typeof l.durationMs])).toEqual([
      ["lab_up", true, "number"],
      ["cluster_create", true, "number"],
    ]);
    expect(lines.at(-1)).toMatchObject({ type: "end", outcome: "verified", verified: true });

    // A check request on the lab the agent made reads it and passes.
    const check = await run("check the cluster in lab six");
    expect(check.outcome, renderRun(check)).toBe("verified");
    expect(check.steps.map((s) => s.tool)).toEqual(["cluster_check"]);
  });

  it.each([
    ["create a cluster with 4 primaries and 2 replicas each", 4, 12],
    ["make a 9 node cluster with 3 shards", 3, 9],
  ])("%s: verified", async (request, masters, nodes) => {
    const r = await run(request);
    expect(r.outcome, renderRun(r)).toBe("verified");
    expect(r.steps).toHaveLength(2);
    expect(r.steps[0].args).toMatchObject({ nodes });
    expect(r.steps[1].args).toMatchObject({ masters });
    expect(r.verification?.ok).toBe(true);
  });
});

describe("built-in planner on a lab that already runs", () => {
  it("create a cluster in lab demo: cluster_create on its nodes only; again: refused, the lab kept", async () => {
    await labUp({ name: "demo", nodes: 6 });
    const dry = await run("create a cluster in lab demo", { dryRun: true });
    expect(dry.steps.map((s) => [s.tool, s.args])).toEqual([["cluster_create", { lab: "demo", replicas: 1, masters: 3, dryRun: true }]]);

    const r = await run("create a cluster in lab demo");
    expect(r.outcome, renderRun(r)).toBe("verified");
    expect(r.steps.map((s) => [s.tool, s.args])).toEqual([["cluster_create", { lab: "demo", replicas: 1, masters: 3 }]]);
    expect(r.plan).toMatch(/^Plan: cluster_create on lab demo with 3 masters with 1 replica each \(6 nodes\)/);
    expect(r.labsStarted).toEqual([]);

    const again = await run("create a cluster in lab demo");
    expect(again.outcome).toBe("refused");
    expect(again.steps).toEqual([]);
    expect(again.message).toMatch(/^Lab demo is already in use: 3 nodes already replicate\. Try "check the cluster in lab demo"/);
    expect(again.cleanup).toEqual([]);
    expect(await loadLab("demo")).toBeDefined();

    const info = await run("cluster info of lab demo");
    expect(info.outcome, renderRun(info)).toBe("done");
    expect(info.steps.map((s) => [s.tool, s.ok])).toEqual([["cluster_info", true]]);
    expect(info.steps[0].summary).toMatch(/^6 nodes \(3 masters, 3 replicas\), 16384\/16384 slots covered/);

    // A question is a request to look: read-only calls, answered from what they read.
    const asked = await run("how many replicas does lab demo have?");
    expect(asked.outcome, renderRun(asked)).toBe("done");
    expect(asked.steps.map((s) => s.tool)).toEqual(["cluster_info"]);
    expect(asked.message).toMatch(/^Read the cluster at lab demo: 6 nodes \(3 masters, 3 replicas\), 16384\/16384 slots covered, 0 keys\. Masters: (127\.0\.1\.\d+:\d+ \(1 replica\)(, )?){3}\.$/);
    const slot = await run("which node is master for slot 16383 in lab demo?");
    expect(slot.message).toMatch(/Slot 16383 is served by master 127\.0\.1\.\d+:\d+\.$/);

    // A count the request states is checked: a 9-node expectation on a 6-node cluster fails, naming both.
    const wrong = await run("check the 9 node cluster in lab demo");
    expect(wrong.outcome, renderRun(wrong)).toBe("verification_failed");
    expect(wrong.message).toBe("The cluster at lab demo does not match the request: it has 6 nodes, not 9.");
    const right = await run("check that the 6 node cluster in lab demo has 1 replica per master");
    expect(right.outcome, renderRun(right)).toBe("verified");
    expect(right.steps.map((s) => [s.tool, s.args])).toEqual([["cluster_check", { lab: "demo", replicasPerMaster: 1 }]]);
    expect(right.message).toBe("Checked the cluster at lab demo. It has 6 nodes, as the request says.");
  });

  it("refuses a lab too small for a cluster, naming its size", async () => {
    await labUp({ name: "tiny", nodes: 2 });
    const r = await run("create a cluster in lab tiny");
    expect(r.outcome).toBe("refused");
    expect(r.message).toMatch(/^Lab tiny has 2 nodes: a Redis Cluster needs at least 3 masters, so 2 nodes are too few\./);
    expect(r.steps).toEqual([]);
  });

  it("list labs, then delete lab demo: lab_down needs confirmation, --yes gives it", async () => {
    await labUp({ name: "demo", nodes: 1, cluster: false });
    const list = await run("list labs");
    expect(list.steps.map((s) => [s.tool, s.ok])).toEqual([["lab_list", true]]);
    expect(list.steps[0].summary).toMatch(/^demo: 1 node/);

    const unconfirmed = await run("delete lab demo");
    expect(unconfirmed.outcome).toBe("failed");
    expect(unconfirmed.steps.map((s) => [s.tool, s.error?.code])).toEqual([["lab_down", "confirmation_required"]]);
    expect(await loadLab("demo")).toBeDefined();

    const confirmed = await run("delete lab demo", { yes: true });
    expect(confirmed.outcome, renderRun(confirmed)).toBe("done");
    expect(confirmed.message).toBe("Stopped lab demo and deleted its data.");
    expect(await loadLab("demo")).toBeUndefined();
  });
});

describe("built-in planner refusals and dry runs touch nothing", () => {
  it("refuses an impossible layout with why and what would work", async () => {
    const r = await run("Create a cluster of 5 nodes with 3 masters and 1 replica each");
    expect(r.outcome).toBe("refused");
    expect(r.steps).toEqual([]);
    expect(r.message).toBe("5 nodes cannot hold 3 masters with 1 replica each: that takes 6 nodes (3 masters + 3 replicas). Ask for 6 nodes, or for 5 masters without replicas on 5 nodes.");
    expect(await listLabs()).toEqual([]);
  });

  it("sets up Sentinel with 3 sentinels and quorum 2: the sentinel-3 template, verified by sentinel_check", async () => {
    const r = await run("Set up Sentinel with 3 sentinels and quorum 2");
    expect(r.outcome).toBe("verified");
    expect(r.steps.map((s) => s.tool)).toEqual(["lab_up", "sentinel_check"]);
  });

  it("--dry-run shows the whole plan and starts nothing", async () => {
    const r = await run("make a 9 node cluster with 3 shards across 3 zones", { dryRun: true, newLabName: () => "dry" });
    expect(r.outcome).toBe("planned");
    expect(r.steps.map((s) => [s.tool, s.dryRun, s.skipped === undefined])).toEqual([
      ["lab_up", true, true],
      ["cluster_create", true, false],
    ]);
    expect(r.steps[0].args).toEqual({ name: "dry", nodes: 9, cluster: true, zones: 3, dryRun: true });
    expect(r.steps[1].args).toEqual({ lab: "dry", replicas: 2, masters: 3, dryRun: true });
    expect(r.plan).toMatch(/lab_up starts lab dry with 9 empty nodes/);
    expect(await listLabs()).toEqual([]);
  });
});
