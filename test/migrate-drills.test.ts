// The migration drills on real servers, with few runs: reshard + rebalance under an
// ioredis Cluster workload, kill -9 of a running reshard then cluster fix (3 kill points
// here; 20 by default), and a planned cluster failover under load. The drills only record;
// these tests read their reports: nothing acknowledged lost, every run's own check passed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempLabHome } from "./helpers/env.js";
import { invokeTool } from "../src/registry/invoke.js";
import type { AnyTool } from "../src/registry/tool.js";
import { createResolver } from "../src/targets/resolver.js";
import type { DrillOutput } from "../src/drills/tool-shape.js";
import { drillReshard } from "../tools/drills/drill-reshard.js";
import { drillKillFix } from "../tools/drills/drill-kill-fix.js";
import { drillClusterFailover } from "../tools/drills/drill-cluster-failover.js";
import { listLabs } from "../src/lab/index.js";

const home = useTempLabHome();
const ctx = () => ({ progress: () => {}, signal: new AbortController().signal, targets: createResolver() });
async function drill(tool: unknown, args: Record<string, unknown>): Promise<DrillOutput> {
  const r = await invokeTool(tool as AnyTool, args, { ctx: ctx() });
  expect(r.ok, JSON.stringify(r).slice(0, 2000)).toBe(true);
  return (r.ok ? r.output : {}) as DrillOutput;
}

describe("migration drills", () => {
  it("reshard + rebalance under load: no acknowledged write lost, no client error", async () => {
    // Outside the CLI, files a call names are kept under REDIS_PILOT_HOME/files.
    const out = await drill(drillReshard, { runs: 1, slots: 2048, warmupMs: 200, settleMs: 300, writers: 2, svg: "reshard.svg", history: "reshard.json" });
    const svg = join(home, "files", "reshard.svg");
    const history = join(home, "files", "reshard.json");
    const run = out.scenarios[0].runs[0];
    expect(run.actionError).toBeUndefined();
    expect(run.acknowledged).toBeGreaterThan(0);
    expect(run.lost).toBe(0);
    expect(run.failed).toBe(0);
    expect(run.events.map((e) => e.kind)).toEqual(expect.arrayContaining(["reshard", "reshard-done", "rebalance", "rebalance-done"]));
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg/);
    expect(existsSync(history)).toBe(true);
    console.error(`drill reshard: ${run.acknowledged} acknowledged, ${run.lost} lost, ${run.failed} failed, ${run.unknown} unknown, longest gap ${run.unavailableMs} ms; ${run.events.filter((e) => e.kind.endsWith("-done")).map((e) => e.label).join("; ")}`);
  });

  it("kill -9 of a running reshard at 3 points, then cluster fix: every run checks clean, nothing lost", async () => {
    const out = await drill(drillKillFix, { runs: 3, slots: 8192, warmupMs: 100, settleMs: 200, writers: 1 });
    for (const run of out.scenarios[0].runs) {
      expect(run.actionError ?? "", `run ${run.run}: ${run.actionError}`).toBe("");
      expect(run.lost).toBe(0);
      expect(run.events.map((e) => e.kind)).toEqual(expect.arrayContaining(["kill", "fix", "verified"]));
      console.error(`drill kill-fix run ${run.run}: ${run.events.filter((e) => e.kind === "kill" || e.kind === "fix").map((e) => e.label).join("; ")}`);
    }
    expect(await listLabs()).toEqual([]);
  });

  it("planned cluster failover under load: no acknowledged write lost", async () => {
    const out = await drill(drillClusterFailover, { runs: 1, warmupMs: 200, settleMs: 500, writers: 2 });
    const run = out.scenarios[0].runs[0];
    expect(run.actionError).toBeUndefined();
    expect(run.lost).toBe(0);
    console.error(`drill cluster-failover: ${run.acknowledged} acknowledged, ${run.lost} lost, unavailable ${run.unavailableMs} ms; ${run.events.find((e) => e.kind === "writable")?.label}`);
  });

  it("dry runs describe the drill and start nothing", async () => {
    for (const tool of [drillReshard, drillKillFix, drillClusterFailover]) {
      const out = await drill(tool, { dryRun: true });
      expect(out.dryRun).toBe(true);
      expect(out.plan.length).toBeGreaterThan(2);
    }
    expect(await listLabs()).toEqual([]);
  });
});
