/**
 * The package as a user gets it: `npm pack` of this checkout (built by `npm test`), then
 * `npm install ./redis-pilot-*.tgz` in an empty folder, then `npx redis-pilot --help`,
 * `npx redis-pilot mcp` (a real MCP client lists its tools) and `npx redis-pilot cluster
 * check HOST:PORT` on a lab cluster. Dependencies come from npm's local cache.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatAddress } from "../src/redis/address.js";
import { labUp } from "../src/lab/index.js";
import { createCluster } from "../src/ops/cluster-create/index.js";
import { useTempLabHome } from "./helpers/env.js";
import { uniformAccess } from "../src/redis/node-access.js";

useTempLabHome();
const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "redis-pilot-pack-"));
const app = join(scratch, "app");
const home = join(scratch, "home");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function sh(cmd: string, args: string[], cwd: string, timeout = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  // npm_* variables of the `npm test` that runs this would steer the inner npm (its prefix, its config).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout, env: { ...env, REDIS_PILOT_HOME: home } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  const pack = await sh("npm", ["pack", "--ignore-scripts", "--pack-destination", scratch, "--loglevel=error"], root);
  expect(pack.code, pack.stderr).toBe(0);
  const tarball = readdirSync(scratch).find((f) => /^redis-pilot-.*\.tgz$/.test(f))!;
  // An empty folder with an empty package.json, so npm installs here and not in a parent.
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), "{}\n");
  const install = await sh("npm", ["install", join(scratch, tarball), "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], app, 240_000);
  expect(install.code, install.stderr).toBe(0);
}, 300_000);

describe("npm pack, npm install ./redis-pilot-*.tgz, npx redis-pilot", () => {
  it("the tarball holds the launcher, the bundle, prompts and agent.md, and no sources or tests", async () => {
    const list = await sh("tar", ["-tzf", join(scratch, readdirSync(scratch).find((f) => f.endsWith(".tgz"))!)], scratch);
    const files = list.stdout.split("\n").filter(Boolean).map((f) => f.replace(/^package\//, ""));
    expect(files).toEqual(expect.arrayContaining(["bin/redis-pilot.cjs", "dist/bin/redis-pilot.bundle.cjs", "agent.md", "package.json", "README.md"]));
    expect(files.some((f) => f.startsWith("prompts/"))).toBe(true);
    expect(files.filter((f) => /^(src|test|tools|bench)\/|\.ts$|\.v8cache$/.test(f))).toEqual([]);
  });

  it("npx redis-pilot --help", async () => {
    const r = await sh("npx", ["--no-install", "redis-pilot", "--help"], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: redis-pilot/);
    expect(r.stdout).toMatch(/cluster +Redis Cluster/);
  });

  it("npx redis-pilot mcp answers tools/list", async () => {
    const client = new Client({ name: "pack-test", version: "1.0.0" });
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !/^npm_/i.test(e[0])));
    await client.connect(new StdioClientTransport({ command: "npx", args: ["--no-install", "redis-pilot", "mcp"], cwd: app, env: { ...env, REDIS_PILOT_HOME: home }, stderr: "ignore" }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["lab_up", "cluster_create", "cluster_check"]));
      const prompts = await client.listPrompts();
      expect(prompts.prompts.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it("npx redis-pilot cluster check HOST:PORT", async () => {
    const lab = await labUp({ name: "packed", nodes: 3 });
    const addresses = lab.nodes.map((n) => formatAddress(n));
    await createCluster({ access: uniformAccess(), addresses, replicas: 0 }, { progress: () => {}, signal: new AbortController().signal });
    const r = await sh("npx", ["--no-install", "redis-pilot", "cluster", "check", addresses[1]], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^OK: 3 nodes \(3 masters, 0 replicas\), 16384\/16384 slots covered, 0 errors, 3 warnings\./);
  });
});
