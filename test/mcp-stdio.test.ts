// End to end over stdio, the way Claude Desktop and Claude Code run us: the SDK's real
// Client spawns the built CLI. One lab cluster is built through tool calls (with
// progress), checked, read as resources, and torn down; the safety defaults (no
// confirmation, non-lab targets, --read-only, --toolsets) are seen from the client.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";
import { CLI, childEnv, stdioClient, textOf, resourceText, type StdioSession } from "./helpers/mcp-client.js";
import { allTools } from "../tools/index.js";

useTempLabHome();
const LAB = "mcp-stdio";
let s: StdioSession;
let nodes: string[] = [];
const configDir = mkdtempSync(join(tmpdir(), "redis-pilot-mcp-config-"));

beforeAll(async () => {
  s = await stdioClient();
});

afterAll(async () => {
  await s?.client.close();
  rmSync(configDir, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>, progress?: Progress[]) {
  return s.client.callTool({ name, arguments: args }, undefined, progress ? { onprogress: (p) => progress.push(p), timeout: 60_000 } : undefined);
}

describe("redis-pilot mcp over stdio", () => {
  it("lists every tool with its annotations", async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["lab_up", "lab_down", "cluster_create", "cluster_check", "cluster_info"]));
    expect(tools.find((t) => t.name === "lab_down")?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(tools.find((t) => t.name === "cluster_check")?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  });

  it("starts a lab and creates a cluster, reporting progress", async () => {
    const labProgress: Progress[] = [];
    const up = await call("lab_up", { name: LAB, nodes: 6 }, labProgress);
    expect(up.isError, textOf(up)).toBeFalsy();
    nodes = (up.structuredContent as { nodes: { address: string }[] }).nodes.map((n) => n.address);
    expect(nodes).toHaveLength(6);

    const createProgress: Progress[] = [];
    const created = await call("cluster_create", { lab: LAB, replicas: 1 }, createProgress);
    expect(created.isError, textOf(created)).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ applied: true, ok: true });
    expect(createProgress.length).toBeGreaterThan(2);
    const values = createProgress.map((p) => p.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(createProgress.every((p) => typeof p.message === "string" && p.message.length > 0)).toBe(true);
    const judge = await redisCliClusterCheck(nodes[0]);
    expect(judge.ok, judge.output).toBe(true);
  });

  it("returns cluster_check as structuredContent", async () => {
    const r = await call("cluster_check", { lab: LAB });
    expect(r.structuredContent).toMatchObject({ ok: true, counts: { nodes: 6, masters: 3, replicas: 3, slotsCovered: 16384 } });
    expect(textOf(r)).toMatch(/^OK: 6 nodes/);
  });

  it("serves the lab topology as JSON and Mermaid, and a node's INFO", async () => {
    const uris = (await s.client.listResources()).resources.map((r) => r.uri);
    expect(uris).toEqual(expect.arrayContaining([`redis-pilot://lab/${LAB}/topology.json`, `redis-pilot://lab/${LAB}/topology.mmd`, `redis-pilot://node/${nodes[0]}/info`]));

    const json = await s.client.readResource({ uri: `redis-pilot://lab/${LAB}/topology.json` });
    const shape = JSON.parse(resourceText(json.contents[0])) as { shards: { slotCount: number; replicas: unknown[] }[]; nodes: unknown[] };
    expect(shape.shards.map((x) => x.replicas.length)).toEqual([1, 1, 1]);
    expect(shape.shards.reduce((n, x) => n + x.slotCount, 0)).toBe(16384);
    expect(shape.nodes).toHaveLength(6);

    const mmd = await s.client.readResource({ uri: `redis-pilot://lab/${LAB}/topology.mmd` });
    expect(mmd.contents[0].mimeType).toBe("text/vnd.mermaid");
    expect(resourceText(mmd.contents[0])).toMatch(/^flowchart TB\n/);
    expect(resourceText(mmd.contents[0]).match(/-->\|replica of\|/g)).toHaveLength(3);

    const info = await s.client.readResource({ uri: `redis-pilot://node/${nodes[0]}/info` });
    expect(resourceText(info.contents[0])).toMatch(/redis_version:7\./);
  });

  it("fails a resource read with one actionable sentence", async () => {
    await expect(s.client.readResource({ uri: "redis-pilot://lab/no-such-lab/topology.json" })).rejects.toThrow(/No lab named 'no-such-lab' is running\. .+/);
  });

  it("gets a prompt filled with its arguments", async () => {
    const names = (await s.client.listPrompts()).prompts.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["create-cluster", "health-check", "setup-sentinel"]));
    const p = await s.client.getPrompt({ name: "create-cluster", arguments: { lab: LAB, masters: "4" } });
    const text = (p.messages[0].content as { text: string }).text;
    expect(text).toContain("Create a Redis Cluster with 4 masters and 1 replica(s) per master.");
    expect(text).toContain(`the lab \`${LAB}\``);
    await expect(s.client.getPrompt({ name: "reshard", arguments: {} })).rejects.toThrow(/needs the argument 'slots'/);
  });

  it("refuses lab_down without confirmation, showing the plan and how to confirm", async () => {
    const r = await call("lab_down", { name: LAB });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("Review the plan, then call lab_down again with confirm: true.");
    expect(textOf(r)).not.toContain("--yes");
    expect(textOf(r)).toContain(`Would stop lab ${LAB}: 6 nodes`);
    expect(r.structuredContent).toMatchObject({ name: LAB, dryRun: true });
    expect((await call("cluster_check", { lab: LAB })).structuredContent).toMatchObject({ ok: true });
  });

  it("reads a config target without allowMutations but refuses to change it, or bare servers", async () => {
    const config = join(configDir, "targets.yaml");
    writeFileSync(config, `targets:\n  prod:\n    nodes: ["${nodes[0]}"]\n    allowMutations: false\n`);
    const other = await stdioClient(["--config", config]);
    try {
      const check = await other.client.callTool({ name: "cluster_check", arguments: { target: "prod" } });
      expect(check.structuredContent).toMatchObject({ ok: true, counts: { nodes: 6 } });
      const topology = await other.client.readResource({ uri: "redis-pilot://target/prod/topology.json" });
      expect(JSON.parse(resourceText(topology.contents[0]))).toMatchObject({ source: { kind: "target", name: "prod" }, shards: [{}, {}, {}] });
      const create = await other.client.callTool({ name: "cluster_create", arguments: { target: "prod", replicas: 1 } });
      expect(create.isError).toBe(true);
      expect(textOf(create)).toMatch(/^\S+ is read-only here: .*target 'prod' does not allow mutations\. /);
      const bare = await other.client.callTool({ name: "cluster_create", arguments: { nodes: ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"], replicas: 0 } });
      expect(bare.isError).toBe(true);
      expect(textOf(bare)).toContain("127.0.0.1:1 is read-only here: it belongs to no lab or config target");
    } finally {
      await other.client.close();
    }
  });

  it("fails only the calls that need targets when the config file is broken", async () => {
    const config = join(configDir, "broken.yaml");
    writeFileSync(config, "targets: [\n");
    const broken = await stdioClient(["--config", config]);
    try {
      expect((await broken.client.callTool({ name: "lab_list", arguments: {} })).isError).toBeFalsy();
      // resources/list answers for labs and targets at once: the labs must survive a broken targets file.
      const uris = (await broken.client.listResources()).resources.map((r) => r.uri);
      expect(uris).toEqual(expect.arrayContaining([`redis-pilot://lab/${LAB}/topology.json`, `redis-pilot://node/${nodes[0]}/info`]));
      expect(uris.some((u) => u.startsWith("redis-pilot://target/"))).toBe(false);
      expect(broken.stderr()).toContain("targets left out of resources/list");
      const check = await broken.client.callTool({ name: "cluster_check", arguments: { lab: LAB } });
      expect(check.isError).toBe(true);
      expect(textOf(check)).toMatch(/broken\.yaml is not valid YAML\/JSON: .+ Fix the syntax and retry\.$/s);
    } finally {
      await broken.client.close();
    }
  });

  it("hides every mutating tool with --read-only, and filters by --toolsets", async () => {
    const ro = await stdioClient(["--read-only"]);
    try {
      const tools = (await ro.client.listTools()).tools;
      expect(tools.length).toBeGreaterThan(0);
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      expect(tools.map((t) => t.name)).not.toContain("cluster_create");
      const refused = await ro.client.callTool({ name: "lab_down", arguments: { name: LAB, confirm: true } });
      expect(refused.isError).toBe(true);
      const readOnly = allTools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name);
      expect(textOf(refused)).toMatch(/^No tool named 'lab_down' in this session .+ Use one of (.+)\.$/);
      expect(/Use one of (.+)\.$/.exec(textOf(refused))![1].split(", ").sort()).toEqual(readOnly.sort());
    } finally {
      await ro.client.close();
    }
    const clusterOnly = await stdioClient(["--toolsets", "cluster"]);
    try {
      const names = (await clusterOnly.client.listTools()).tools.map((t) => t.name);
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((n) => n.startsWith("cluster_"))).toBe(true);
    } finally {
      await clusterOnly.client.close();
    }
  });

  // Every toolset has tools now (sentinel and drills were the last); an unknown one is refused, naming the known.
  it("refuses at start-up an unknown toolset, naming the ones that exist", () => {
    const r = spawnSync(process.execPath, [CLI, "mcp", "--toolsets", "nosuch"], { env: childEnv(), encoding: "utf8", input: "" });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    const offered = [...new Set(allTools.map((t) => t.toolset))];
    const named = /unknown toolset nosuch; choose from (.+)\./.exec(r.stderr)?.[1].split(", ");
    expect(named?.sort()).toEqual(offered.sort());
  });

  it("answers a bad argument with a tool error naming the field and what was allowed", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["lab_up", { name: "x", nodes: 100 }, "Invalid argument for lab_up: nodes must be at most 64. Fix nodes and call lab_up again."],
      ["lab_up", { name: "x", nodes: 2.5 }, "Invalid argument for lab_up: nodes must be a whole number, not a fraction. Fix nodes and call lab_up again."],
      ["cluster_check", { lab: 7 }, "Invalid argument for cluster_check: lab must be a string, not a number. Fix lab and call cluster_check again."],
      ["cluster_create", { nodes: ["127.0.0.1:1", 2], replicas: -1 }, "Invalid argument for cluster_create: nodes[1] must be a string, not a number (and 1 more problem). Fix nodes[1] and call cluster_create again."],
    ];
    for (const [name, args, text] of cases) {
      const r = await s.client.callTool({ name, arguments: args });
      expect(r.isError, name).toBe(true);
      expect(textOf(r)).toBe(text);
      expect(r._meta?.["redis-pilot/error"]).toMatchObject({ code: "invalid_input" });
    }
    expect((await s.client.callTool({ name: "lab_list", arguments: {} })).structuredContent).toMatchObject({ labs: [{ name: LAB }] });
  });

  it("accepts confirm: true when the client cannot ask the user", async () => {
    const r = await call("lab_down", { name: LAB, confirm: true });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ name: LAB, dryRun: false });
    expect((await call("lab_list", {})).structuredContent).toEqual({ labs: [], broken: [] });
  });
});
