// What a client reads when something goes wrong, through the SDK's real Client (in
// memory) against our server: a bug is one line that asks for a report once, a tool
// that breaks its own output schema does not leak zod's multi-line JSON, a session
// with no tools still answers tools/list. And the pure parts as tables: how a zod
// issue becomes "nodes must be at most 64", and which --toolsets start a server.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createDeps } from "../src/mcp/deps.js";
import { checkToolsets } from "../src/mcp/serve.js";
import { createMcpServer } from "../src/mcp/server.js";
import { describeIssues, issuePath } from "../src/registry/input-issue.js";
import { cliWords } from "../src/cli/words.js";
import { invokeTool } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { allTools } from "../tools/index.js";
import { defineTool, type AnyTool } from "../src/registry/tool.js";
import { textOf } from "./helpers/mcp-client.js";

const base = {
  title: "Test tool",
  description: "A tool for tests.",
  toolset: "lab" as const,
  input: z.object({ confirm: z.boolean().optional(), dryRun: z.boolean().optional() }),
  output: z.object({ count: z.number().int() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  summarize: (o: { count: number }) => `count ${o.count}`,
};
const crashes = defineTool({ ...base, name: "lab_crash", handler: async () => { throw new Error("boom\n    at somewhere (file.ts:1:1)"); } }) as unknown as AnyTool;
const breaksSchema = defineTool({ ...base, name: "lab_skew", handler: async () => ({ count: 1.5 }) as { count: number } }) as unknown as AnyTool;

async function connect(tools: AnyTool[]): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(createDeps(tools)).connect(serverSide);
  const client = new Client({ name: "errors-test", version: "1" });
  await client.connect(clientSide);
  return client;
}

describe("errors a client reads", () => {
  it("a bug: one line, the report sentence once, no stack", async () => {
    const client = await connect([crashes, breaksSchema]);
    const r = await client.callTool({ name: "lab_crash", arguments: { confirm: true } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe("Internal error: boom. This is a bug in redis-pilot; please report it with the command or call you ran.");
    await client.close();
  });

  it("output that breaks the tool's schema: one sentence naming the field, not zod's JSON", async () => {
    const client = await connect([breaksSchema]);
    const r = await client.callTool({ name: "lab_skew", arguments: { confirm: true } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe(
      "Internal error: lab_skew returned output that breaks its own schema: count must be a whole number, not a fraction. " +
        "This is a bug in redis-pilot; please report it with the command or call you ran.",
    );
    expect(r._meta?.["redis-pilot/error"]).toMatchObject({ code: "internal" });
    await client.close();
  });

  it("a session with no tools still answers tools/list and tools/call", async () => {
    const client = await connect([]);
    expect((await client.listTools()).tools).toEqual([]);
    const r = await client.callTool({ name: "lab_up", arguments: {} });
    expect(textOf(r)).toBe("No tool named 'lab_up' in this session (it is unknown, or left out by --read-only or --toolsets). This session has no tools; restart the server with other --toolsets.");
    await client.close();
  });

  it("an unconfirmed destructive call says how this front end confirms", async () => {
    const ctx = { progress: () => {}, signal: new AbortController().signal, targets: createResolver({ allowAdhocMutations: false }) };
    const noTool = defineTool({ ...base, name: "lab_noop", handler: async () => ({ count: 0 }) }) as unknown as AnyTool;
    const mcp = await invokeTool(noTool, {}, { ctx });
    expect(mcp.ok ? "" : mcp.summary).toBe("lab_noop is destructive and was not confirmed. Review the plan, then call lab_noop again with confirm: true.");
    const cli = await invokeTool(noTool, {}, { ctx, words: cliWords([noTool]) });
    expect(cli.ok ? "" : cli.summary).toBe("'redis-pilot lab noop' is destructive and was not confirmed. Review the plan, then run the command again with --yes.");
  });
});

describe("describeIssues", () => {
  const schema = z.object({
    nodes: z.number().int().min(1).max(64).optional(),
    ratio: z.number().gt(0).optional(),
    name: z.string().min(1).max(3).optional(),
    backend: z.enum(["local", "docker"]).optional(),
    list: z.array(z.string()).min(1).optional(),
    zones: z.record(z.string(), z.string()).optional(),
    must: z.string(),
  });
  const must = { must: "x" };
  it.each<[string, Record<string, unknown>, string, string]>([
    ["missing", {}, "must", "must is required (a string)"],
    ["over the max", { ...must, nodes: 65 }, "nodes", "nodes must be at most 64"],
    ["under the min", { ...must, nodes: 0 }, "nodes", "nodes must be at least 1"],
    ["a fraction", { ...must, nodes: 1.5 }, "nodes", "nodes must be a whole number, not a fraction"],
    ["a string for a number", { ...must, nodes: "6" }, "nodes", "nodes must be a number, not a string"],
    ["exclusive bound", { ...must, ratio: 0 }, "ratio", "ratio must be above 0"],
    ["too long", { ...must, name: "abcd" }, "name", "name must be at most 3 characters long"],
    ["not in the enum", { ...must, backend: "k8s" }, "backend", 'backend must be one of "local", "docker"'],
    ["empty list", { ...must, list: [] }, "list", "list must have at least 1 item"],
    ["list element", { ...must, list: ["a", 2] }, "list[1]", "list[1] must be a string, not a number"],
    ["record value", { ...must, zones: { a: 1 } }, "zones.a", "zones.a must be a string, not a number"],
    ["two problems", { nodes: 99 }, "nodes", "nodes must be at most 64 (and 1 more problem)"],
    ["a list for a string", { must: ["x"] }, "must", "must must be a string, not a list"],
  ])("%s", (_, input, field, sentence) => {
    const r = schema.safeParse(input);
    expect(r.success).toBe(false);
    expect(describeIssues(r.error!.issues, input)).toEqual({ field, sentence });
  });

  it("names unknown arguments of a strict schema, and never echoes a value", () => {
    const input = { password: "hunter2-secret", extra: 1 };
    const r = z.object({ password: z.number() }).strict().safeParse(input);
    const all = r.error!.issues.map((_, i) => describeIssues(r.error!.issues.slice(i), input).sentence).join(" ");
    expect(all).toContain("(arguments) has unknown argument extra");
    expect(all).not.toContain("hunter2");
  });

  it("formats paths as the call reads them", () => {
    expect(issuePath(["nodes", 2])).toBe("nodes[2]");
    expect(issuePath(["zones", "127.0.0.1:7000"])).toBe("zones.127.0.0.1:7000");
    expect(issuePath([])).toBe("");
  });
});

describe("checkToolsets", () => {
  const offered = [...new Set(allTools.map((t) => t.toolset))].join(", ");
  it.each<[string, string[] | undefined, string | undefined]>([
    ["all (no flag)", undefined, undefined],
    ["one with tools", ["cluster"], undefined],
    ["both with tools", ["lab", "cluster"], undefined],
    // Every toolset has tools now (sentinel and drills came last).
    ["sentinel and drills", ["sentinel", "drills"], undefined],
    ["a mix", ["lab", "drills", "sentinel"], undefined],
    ["an unknown name", ["clusters"], `Toolset clusters has no tools; the toolsets with tools are ${offered}.`],
    ["an empty list", [], `Toolset (none given) has no tools; the toolsets with tools are ${offered}.`],
  ])("%s", (_, requested, message) => {
    if (message === undefined) return expect(() => checkToolsets(requested)).not.toThrow();
    expect(() => checkToolsets(requested)).toThrow(message);
  });
});
