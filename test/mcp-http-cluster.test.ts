// The end-to-end list over Streamable HTTP, as a remote client sees it: one lab
// cluster built through tool calls with progress (every notification carrying a total),
// checked through structuredContent, read as a resource, a prompt, then the safety
// defaults: a non-lab target refuses mutations, --read-only hides them, and a client
// without elicitation confirms a destructive call with confirm: true. One lab serves
// every test; each extra server option gets its own short-lived server.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allTools } from "../tools/index.js";
import { useTempLabHome } from "./helpers/env.js";
import { childEnv, httpClient, startHttpServer, stopHttpServers, textOf, resourceText, type HttpSession } from "./helpers/mcp-client.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";

useTempLabHome();
const TOKEN = "http-cluster-token-0123456789-abcdef";
const LAB = "mcp-http-cluster";
const env = () => childEnv({ REDIS_PILOT_MCP_TOKEN: TOKEN });
const configDir = mkdtempSync(join(tmpdir(), "redis-pilot-http-config-"));
let c: HttpSession;
let nodes: string[] = [];

beforeAll(async () => {
  c = await httpClient((await startHttpServer(env())).url, TOKEN);
});

afterAll(async () => {
  await c?.close();
  await stopHttpServers();
  rmSync(configDir, { recursive: true, force: true });
});

const call = (name: string, args: Record<string, unknown>, session = c) => session.client.callTool({ name, arguments: args });

async function withServer(args: string[], use: (s: HttpSession) => Promise<void>): Promise<void> {
  const s = await httpClient((await startHttpServer(env(), args)).url, TOKEN);
  try {
    await use(s);
  } finally {
    await s.close();
  }
}

/** Every notification has a total, never passes it, and counts up. */
function expectCounted(progress: Progress[]): void {
  expect(progress.length).toBeGreaterThan(0);
  for (const p of progress) {
    expect(p.total, JSON.stringify(p)).toBeTypeOf("number");
    expect(p.progress).toBeLessThanOrEqual(p.total!);
    expect(p.message?.length).toBeGreaterThan(0);
  }
  const values = progress.map((p) => p.progress);
  expect(values).toEqual([...values].sort((a, b) => a - b));
  expect(new Set(values).size).toBe(values.length);
}

describe("a lab cluster over Streamable HTTP", () => {
  it("starts a lab and creates a cluster, with progress that carries a total", async () => {
    const upProgress: Progress[] = [];
    const up = await c.client.callTool({ name: "lab_up", arguments: { name: LAB, nodes: 6 } }, undefined, { onprogress: (p) => upProgress.push(p) });
    expect(up.isError, textOf(up)).toBeFalsy();
    nodes = (up.structuredContent as { nodes: { address: string }[] }).nodes.map((n) => n.address);
    expectCounted(upProgress);
    expect(upProgress.map((p) => [p.progress, p.total])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, 6]));

    const createProgress: Progress[] = [];
    const created = await c.client.callTool({ name: "cluster_create", arguments: { lab: LAB, replicas: 1 } }, undefined, {
      onprogress: (p) => createProgress.push(p),
      timeout: 60_000,
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ applied: true, ok: true });
    expectCounted(createProgress);
    expect(createProgress.length).toBeGreaterThan(2);
    expect(new Set(createProgress.map((p) => p.total)).size).toBe(1);
    const judge = await redisCliClusterCheck(nodes[0]);
    expect(judge.ok, judge.output).toBe(true);
  });

  it("returns cluster_check as structuredContent", async () => {
    const r = await call("cluster_check", { lab: LAB, replicasPerMaster: 1 });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ ok: true, counts: { nodes: 6, reachable: 6, masters: 3, replicas: 3, slotsCovered: 16384 } });
    expect(textOf(r)).toMatch(/^OK: 6 nodes \(3 masters, 3 replicas\), 16384\/16384 slots covered/);
  });

  it("lists and reads the lab topology resource", async () => {
    const uri = `redis-pilot://lab/${LAB}/topology.json`;
    expect((await c.client.listResources()).resources.map((r) => r.uri)).toContain(uri);
    const read = await c.client.readResource({ uri });
    expect(read.contents[0].mimeType).toBe("application/json");
    const shape = JSON.parse(resourceText(read.contents[0])) as { source: unknown; shards: { slotCount: number; replicas: unknown[] }[] };
    expect(shape.source).toEqual({ kind: "lab", name: LAB });
    expect(shape.shards.map((s) => s.replicas.length)).toEqual([1, 1, 1]);
    expect(shape.shards.reduce((n, s) => n + s.slotCount, 0)).toBe(16384);
  });

  it("gets a prompt filled with its arguments", async () => {
    const p = await c.client.getPrompt({ name: "health-check", arguments: { lab: LAB } });
    const text = (p.messages[0].content as { text: string }).text;
    expect(text).toContain(`the lab \`${LAB}\``);
    expect(text).toContain("cluster_check");
  });

  it("reads a config target without allowMutations but refuses to change it", async () => {
    const config = join(configDir, "targets.yaml");
    writeFileSync(config, `targets:\n  prod:\n    nodes: ["${nodes[0]}"]\n    allowMutations: false\n`);
    await withServer(["--config", config], async (s) => {
      expect((await call("cluster_check", { target: "prod" }, s)).structuredContent).toMatchObject({ ok: true, counts: { nodes: 6 } });
      const create = await call("cluster_create", { target: "prod", replicas: 1 }, s);
      expect(create.isError).toBe(true);
      expect(textOf(create)).toMatch(/^\S+ is read-only here: .*target 'prod' does not allow mutations\. .+/);
      expect(create._meta?.["redis-pilot/error"]).toMatchObject({ code: "mutation_not_allowed" });
    });
  });

  it("hides every mutating tool with --read-only", async () => {
    await withServer(["--read-only"], async (s) => {
      const tools = (await s.client.listTools()).tools;
      expect(tools.map((t) => t.name)).toEqual(allTools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name));
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      const refused = await call("cluster_create", { lab: LAB, replicas: 1 }, s);
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/^No tool named 'cluster_create' in this session/);
    });
  });

  it("without elicitation, refuses lab_down until confirm: true, then stops the lab", async () => {
    const refused = await call("lab_down", { name: LAB });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(new RegExp(`^lab_down is destructive and was not confirmed\\. Review the plan, then call lab_down again with confirm: true\\.\\n\\nPlan \\(dry run, nothing was changed\\):\\nWould stop lab ${LAB}: 6 nodes`));
    expect(refused.structuredContent).toMatchObject({ name: LAB, dryRun: true });
    expect((await call("cluster_check", { lab: LAB })).structuredContent).toMatchObject({ ok: true });

    const down = await call("lab_down", { name: LAB, confirm: true });
    expect(down.isError, textOf(down)).toBeFalsy();
    expect(down.structuredContent).toMatchObject({ name: LAB, dryRun: false });
    expect((await call("lab_list", {})).structuredContent).toEqual({ labs: [], broken: [] });
  });
});
