// `agent ... --save-runbook FILE` writes what the agent did as a runbook that does it
// again: a table test of the conversion (labs as vars, secrets as env, confirm on
// destructive steps, failed calls left out, a dry run's plan saved as real calls), and
// end to end: the built-in agent creates a cluster, the saved runbook validates and,
// run with another lab name, builds the same cluster again (redis-cli --cluster check).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { StepRecord } from "../src/agent/loop.js";
import { runbookFromAgentRun, SAVED_PASSWORD_ENV } from "../src/runbook/from-agent.js";
import { validateRunbook } from "../src/runbook/index.js";
import { allTools } from "../tools/index.js";
import { CLI } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";

useTempLabHome();
const dir = mkdtempSync(join(tmpdir(), "runbook-from-agent-"));

const step = (n: number, tool: string, args: Record<string, unknown>, extra: Partial<StepRecord> = {}): StepRecord => ({
  n,
  tool,
  args,
  startMs: 0,
  durationMs: 1,
  ok: true,
  dryRun: false,
  summary: "",
  ...extra,
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 240_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe("runbookFromAgentRun", () => {
  it("turns the calls into steps: labs as vars, secrets as env, confirm where destructive, failures left out", () => {
    const yaml = runbookFromAgentRun(
      {
        request: "Create a 6-node Redis Cluster with 3 masters",
        planner: "builtin",
        outcome: "verified",
        dryRun: false,
        steps: [
          step(1, "lab_up", { name: "agent-1a2b3c", nodes: 6, password: "hunter22" }),
          step(2, "cluster_create", { lab: "agent-1a2b3c", replicas: 1 }, { verification: { ok: true, findings: [] } }),
          step(3, "cluster_chek", { lab: "agent-1a2b3c" }, { ok: false }),
          step(4, "cluster_check", { lab: "agent-1a2b3c" }, { verification: { ok: true, findings: [] } }),
          step(5, "lab_down", { name: "agent-1a2b3c", confirm: true }),
        ],
      },
      allTools,
    );
    expect(yaml).not.toContain("hunter22");
    const doc = parse(yaml);
    expect(doc.vars).toEqual({ lab: "agent-1a2b3c" });
    expect(doc.steps).toEqual([
      { id: "lab-up", tool: "lab_up", with: { name: "${{ vars.lab }}", nodes: 6, password: `\${{ env.${SAVED_PASSWORD_ENV} }}` } },
      { id: "cluster-create", tool: "cluster_create", with: { lab: "${{ vars.lab }}", replicas: 1 }, expect: [{ path: "ok", equals: true }, { "no-findings": "error" }] },
      { id: "cluster-check", tool: "cluster_check", with: { lab: "${{ vars.lab }}" }, expect: [{ path: "ok", equals: true }, { "no-findings": "error" }] },
      { id: "lab-down", tool: "lab_down", with: { name: "${{ vars.lab }}" }, confirm: true },
    ]);
    expect(yaml).toMatch(/1 call\(s\) that failed or did not run are left out/);
    const v = validateRunbook(yaml, { tools: allTools, env: { [SAVED_PASSWORD_ENV]: "x" } });
    expect(v.ok ? [] : v.problems).toEqual([]);
  });

  it("saves a dry run's plan as the real calls", () => {
    const yaml = runbookFromAgentRun(
      {
        request: "create a cluster",
        planner: "builtin",
        outcome: "planned",
        dryRun: true,
        steps: [step(1, "lab_up", { name: "agent-x", nodes: 6, dryRun: true }), step(2, "cluster_create", { lab: "agent-x", dryRun: true }, { skipped: "dry run; lab agent-x is only planned" })],
      },
      allTools,
    );
    const doc = parse(yaml);
    expect(doc.steps.map((s: { with: object }) => s.with)).toEqual([{ name: "${{ vars.lab }}", nodes: 6 }, { lab: "${{ vars.lab }}" }]);
  });
});

describe("agent --save-runbook, end to end", () => {
  it("the saved runbook replays the run in a new lab", async () => {
    const file = join(dir, "create.yaml");
    const agent = await cli(["agent", "Create a 6-node Redis Cluster with 3 masters", "--planner", "builtin", "--save-runbook", file]);
    expect(agent.code, agent.stdout + agent.stderr).toBe(0);
    expect(agent.stderr).toContain(`Runbook: ${file}`);
    const saved = parse(readFileSync(file, "utf8"));
    expect(saved.steps.map((s: { tool: string }) => s.tool)).toEqual(expect.arrayContaining(["lab_up", "cluster_create"]));
    const replay = await cli(["runbook", "run", file, "--var", "lab=replayed", "--report", "json", join(dir, "replay.json")]);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, "replay.json"), "utf8"));
    const create = report.steps.find((s: { tool: string }) => s.tool === "cluster_create");
    expect(create.args.lab).toBe("replayed");
    const judge = await redisCliClusterCheck(create.output.nodes[0].address);
    expect(judge.ok, judge.output).toBe(true);
  }, 300_000);
});
