/**
 * The built CLI, as a user runs it: `redis-pilot demo` (what `npm start` runs) creates,
 * verifies, checks and removes its lab; `agent --dry-run` plans without touching
 * anything; a refusal exits 2; an API key without a model id is a clear error.
 * Spawns the built bundle, bin/redis-pilot.cjs (npm test builds first).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { listLabs } from "../src/lab/index.js";
import { useTempLabHome } from "./helpers/env.js";
import { CLI } from "./helpers/cli.js";

const home = useTempLabHome();


interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ANTHROPIC_") && k !== "REDIS_PILOT_MODEL"));
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...base, REDIS_PILOT_HOME: home, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const transcriptOf = (stdout: string): string => /^Transcript: (.+)$/m.exec(stdout)![1];

describe("redis-pilot CLI: agent and demo", () => {
  it("demo: creates and verifies a 6-node cluster, checks it, removes the lab", async () => {
    const r = await cli(["demo"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ {2}1\. lab_up name=agent-[0-9a-f]{6} nodes=6 cluster=true zones=1 {2}\[\d+\.\d\d s, ok\]/);
    expect(r.stdout).toMatch(/ {2}2\. cluster_create lab=agent-[0-9a-f]{6} replicas=1 masters=3 {2}\[\d+\.\d\d s, verified\]/);
    expect(r.stdout).toMatch(/Done and verified in \d+\.\d\d s \(2 tool calls, builtin planner\)/);
    expect(r.stdout).toMatch(/ {2}3\. cluster_check .* \[\d+\.\d\d s, verified\]\n +OK: 6 nodes \(3 masters, 3 replicas\)/);
    expect(r.stdout).toMatch(/ {2}4\. lab_down .* \[\d+\.\d\d s, ok\]\n +Stopped lab agent-/);
    expect(existsSync(transcriptOf(r.stdout))).toBe(true);
    expect(await listLabs()).toEqual([]);
  });

  it("agent --dry-run prints the plan, changes nothing, exits 0", async () => {
    const r = await cli(["agent", "--dry-run", "Create a 6-node Redis Cluster with 3 masters"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Plan: lab_up starts lab agent-[0-9a-f]{6} with 6 empty nodes/);
    expect(r.stdout).toContain("Dry run: nothing was changed");
    expect(r.stdout).toMatch(/2\. cluster_create .*\[0\.00 s, not run\]/);
    expect(await listLabs()).toEqual([]);
  });

  it("agent --json gives the run as JSON", async () => {
    const r = await cli(["agent", "--json", "--dry-run", "make a 9 node cluster with 3 shards"]);
    const run = JSON.parse(r.stdout) as { outcome: string; steps: { tool: string }[]; transcriptPath: string };
    expect(run.outcome).toBe("planned");
    expect(run.steps.map((s) => s.tool)).toEqual(["lab_up", "cluster_create"]);
    expect(existsSync(run.transcriptPath)).toBe(true);
  });

  it("agent refuses an impossible layout and exits 2", async () => {
    const r = await cli(["agent", "Create", "a", "cluster", "with", "2", "masters"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("Not done");
    expect(r.stdout).toContain("A Redis Cluster needs at least 3 masters");
  });

  it("an API key without a model id is one clear error", async () => {
    const r = await cli(["agent", "Create a 6-node Redis Cluster with 3 masters"], { ANTHROPIC_API_KEY: "unused-key" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: The Claude planner needs a model id, and none of --model, REDIS_PILOT_MODEL or agent\.model in the config is set\. Set REDIS_PILOT_MODEL/);
    expect(r.stderr).not.toContain("unused-key");
  });
});
