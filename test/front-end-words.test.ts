/**
 * The same mistakes, made through MCP (the SDK's real Client against our server) and
 * through the CLI (the built launcher): each front end names the next step in its own
 * words. MCP never reads `redis-pilot ...` or `--flag`; the CLI never reads tool names.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existingLabProblem } from "../src/agent/existing-lab.js";
import { labUp } from "../src/lab/index.js";
import type { LabState } from "../src/lab/types.js";
import { createDeps } from "../src/mcp/deps.js";
import { createMcpServer } from "../src/mcp/server.js";
import { mcpWords, speak } from "../src/registry/words.js";
import { allTools } from "../tools/index.js";
import { runBin } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";
import { textOf } from "./helpers/mcp-client.js";

const home = useTempLabHome();
let lab: LabState;
let client: Client;

beforeAll(async () => {
  lab = await labUp({ name: "words", nodes: 1, cluster: false });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(createDeps([...allTools])).connect(serverSide);
  client = new Client({ name: "front-end-words", version: "1" });
  await client.connect(clientSide);
});
afterAll(async () => {
  await client?.close();
});

async function mcpError(name: string, args: Record<string, unknown>): Promise<string> {
  const r = await client.callTool({ name, arguments: args });
  expect(r.isError, textOf(r)).toBe(true);
  return textOf(r);
}

async function cliError(args: string[]): Promise<string> {
  const r = await runBin(args);
  expect(r.code, r.stdout + r.stderr).not.toBe(0);
  return r.stderr;
}

const NO_CLI_WORDS = /redis-pilot [a-z]|--[a-z]/;
const NO_TOOL_NAMES = /\b(?:lab|cluster)_[a-z]+\b/;

describe("next steps in each front end's words", () => {
  it("a fault on a node already down: lab_start over MCP, 'redis-pilot lab start' on the CLI", async () => {
    const node = lab.nodes[0];
    const where = `${node.host}:${node.port}`;
    expect((await client.callTool({ name: "lab_kill", arguments: { lab: "words", node: "0", confirm: true } })).isError).toBeFalsy();
    const mcp = await mcpError("lab_kill", { lab: "words", node: "0", confirm: true });
    expect(mcp).toContain(`Start it first: lab_start with node: ${where}, lab: words.`);
    expect(mcp).not.toMatch(NO_CLI_WORDS);
    const cli = await cliError(["lab", "stop", "0", "--lab", "words", "--yes"]);
    expect(cli).toContain(`Start it first: 'redis-pilot lab start ${where} --lab words'.`);
    expect(cli).not.toMatch(NO_TOOL_NAMES);
    expect((await runBin(["lab", "start", "0", "--lab", "words"])).code).toBe(0);
    // Starting a running node: the other tool by name.
    expect(await mcpError("lab_start", { lab: "words", node: "0" })).toContain("Use lab_restart to stop and start it.");
    expect(await cliError(["lab", "start", "0", "--lab", "words"])).toContain("Use 'redis-pilot lab restart' to stop and start it.");
  });

  it("an argument named in the next step: template and zones", async () => {
    const mcp = await mcpError("lab_up", { name: "w2", template: "nope" });
    expect(mcp).toContain("or leave out template.");
    expect(mcp).not.toMatch(NO_CLI_WORDS);
    expect(await cliError(["lab", "up", "--name", "w2", "--template", "nope"])).toContain("or leave out --template.");
    expect(await mcpError("lab_partition", { lab: "words", zone: "z1", confirm: true })).toContain("Start the lab with zones: 2 or more.");
    expect(await cliError(["lab", "partition", "z1", "--lab", "words", "--yes"])).toContain("Start the lab with --zones 2 or more.");
  });

  it("a tool's own flags: cluster_reshard's slots and ranges", async () => {
    const args = { lab: "words", from: "all", to: "x", slots: 3, ranges: "0-1" };
    const mcp = await mcpError("cluster_reshard", args);
    expect(mcp).toContain("Pass slots: N or ranges: 0-99,200.");
    expect(mcp).not.toMatch(NO_CLI_WORDS);
    expect(await cliError(["cluster", "reshard", "--lab", "words", "--from", "all", "--to", "x", "--slots", "3", "--ranges", "0-1"])).toContain("Pass --slots N or --ranges 0-99,200.");
  });

  it("a broken lab state file: lab_down with force over MCP, --force on the CLI", async () => {
    mkdirSync(join(home, "labs", "broken"), { recursive: true });
    writeFileSync(join(home, "labs", "broken", "lab.json"), "{ not json");
    const mcp = await mcpError("lab_status", { name: "broken" });
    expect(mcp).toContain("remove it with lab_down with name: broken, force: true.");
    expect(mcp).not.toMatch(NO_CLI_WORDS);
    expect(await cliError(["lab", "status", "broken"])).toContain("remove it with 'redis-pilot lab down broken --force'.");
  });

  it("the agent's refusal of a lab without cluster mode: CLI words from the CLI, tool names otherwise", async () => {
    const problem = existingLabProblem({ name: "words", nodes: 1, zones: 1, cluster: false, down: [], replicas: 0, keys: 0 });
    expect(problem ? speak(problem.suggestion, mcpWords) : undefined).toMatch(/^Try lab_down with name: words, confirm: true and then lab_up with name: words, nodes: 1,/);
    const r = await runBin(["agent", "--planner", "builtin", "create a cluster in lab words"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain("Try 'redis-pilot lab down words --yes' and then 'redis-pilot lab up --name words --nodes 1'");
  });
});
