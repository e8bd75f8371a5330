/**
 * completion/complete through the SDK's real Client over stdio (the built CLI): prompt
 * arguments and resource-template variables that name a lab, a target or a node offer
 * the labs in the lab store, the targets in the config file and their nodes, filtered
 * by what was typed; the server declares the completions capability. The matching
 * itself is a table.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeValue, completionResult } from "../src/mcp/completions.js";
import { labUp } from "../src/lab/index.js";
import { formatAddress } from "../src/redis/address.js";
import { useTempLabHome } from "./helpers/env.js";
import { stdioClient, type StdioSession } from "./helpers/mcp-client.js";

describe("completeValue", () => {
  const labs = ["demo", "demo-2", "shop", "Stage"];
  it.each<[string, string[], string, boolean, string[]]>([
    ["everything for nothing typed", labs, "", false, ["demo", "demo-2", "shop", "Stage"]],
    ["a prefix", labs, "de", false, ["demo", "demo-2"]],
    ["case-insensitive", labs, "st", false, ["Stage"]],
    ["nothing matches", labs, "x", false, []],
    ["addresses in numeric order", ["127.0.0.1:7010", "127.0.0.1:7002", "127.0.0.1:7001"], "127.0.0.1:70", false, ["127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7010"]],
    ["a list completes its last item", ["a:1", "a:2", "b:1"], "a:1,a", true, ["a:1,a:2"]],
    ["a list leaves out what it holds", ["a:1", "a:2"], "a:1, ", true, ["a:1, a:2"]],
  ])("%s", (_name, candidates, typed, list, expected) => {
    expect(completeValue(candidates, typed, list)).toEqual(expected);
  });

  it("caps an answer at 100 values and says there are more", () => {
    const many = Array.from({ length: 150 }, (_, i) => `lab-${i}`);
    expect(completionResult(many).completion).toMatchObject({ total: 150, hasMore: true });
    expect(completionResult(many).completion.values).toHaveLength(100);
  });
});

useTempLabHome();
const configDir = mkdtempSync(join(tmpdir(), "redis-pilot-completions-"));
let s: StdioSession;
let shopNodes: string[] = [];

beforeAll(async () => {
  const shop = await labUp({ name: "shop", nodes: 3 });
  await labUp({ name: "side", nodes: 1, cluster: false });
  shopNodes = shop.nodes.map((n) => formatAddress(n));
  const config = join(configDir, "targets.yaml");
  writeFileSync(config, `targets:\n  prod-east:\n    nodes: ["127.0.0.1:6379", "127.0.0.1:6380"]\n  prod-west:\n    nodes: ["127.0.0.1:6381"]\n  staging:\n    nodes: ["127.0.0.1:6390"]\n`);
  s = await stdioClient(["--config", config]);
});

afterAll(async () => {
  await s?.client.close();
  rmSync(configDir, { recursive: true, force: true });
});

const prompt = (name: string, argument: string, value: string, context?: Record<string, string>) =>
  s.client.complete({ ref: { type: "ref/prompt", name }, argument: { name: argument, value }, ...(context ? { context: { arguments: context } } : {}) });
const template = (uri: string, argument: string, value: string) => s.client.complete({ ref: { type: "ref/resource", uri }, argument: { name: argument, value } });

describe("completion/complete over stdio", () => {
  it("declares the completions capability", () => {
    expect(s.client.getServerCapabilities()?.completions).toEqual({});
  });

  it("a prompt's lab argument offers the labs in the lab store", async () => {
    expect((await prompt("create-cluster", "lab", "")).completion.values).toEqual(["shop", "side"]);
    expect((await prompt("create-cluster", "lab", "sh")).completion).toMatchObject({ values: ["shop"], total: 1, hasMore: false });
    // A health check needs a cluster: the plain lab is left out.
    expect((await prompt("health-check", "lab", "")).completion.values).toEqual(["shop"]);
  });

  it("a target argument offers the targets in the config file", async () => {
    expect((await prompt("health-check", "target", "prod")).completion.values).toEqual(["prod-east", "prod-west"]);
  });

  it("a node argument offers the nodes of the lab or target already chosen", async () => {
    expect((await prompt("failover-drill", "master", "", { lab: "shop" })).completion.values).toEqual(shopNodes);
    expect((await prompt("reshard", "to", "", { target: "prod-east" })).completion.values).toEqual(["127.0.0.1:6379", "127.0.0.1:6380"]);
    const all = (await prompt("reshard", "to", "127.0.0.1:63")).completion.values;
    expect(all).toEqual(["127.0.0.1:6379", "127.0.0.1:6380", "127.0.0.1:6381", "127.0.0.1:6390"]);
    expect((await prompt("health-check", "nodes", "127.0.0.1:6379,127.0.0.1:638", { target: "prod-east" })).completion.values).toEqual(["127.0.0.1:6379,127.0.0.1:6380"]);
  });

  it("an argument that names none of these completes to nothing; an unknown prompt is an error", async () => {
    expect((await prompt("create-cluster", "masters", "3")).completion.values).toEqual([]);
    await expect(prompt("no-such-prompt", "lab", "")).rejects.toThrow(/No prompt named 'no-such-prompt'/);
  });

  it("resource-template variables complete: cluster labs, targets, node addresses", async () => {
    expect((await template("redis-pilot://lab/{name}/topology.json", "name", "")).completion.values).toEqual(["shop"]);
    expect((await template("redis-pilot://target/{name}/topology.mmd", "name", "st")).completion.values).toEqual(["staging"]);
    const nodes = (await template("redis-pilot://node/{address}/info", "address", "")).completion.values;
    expect(nodes).toEqual(expect.arrayContaining([...shopNodes, "127.0.0.1:6379", "127.0.0.1:6390"]));
    await expect(template("redis-pilot://nope/{x}", "x", "")).rejects.toThrow(/No resource template/);
  });
});
