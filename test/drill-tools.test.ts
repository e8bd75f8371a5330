// Drill tools through the registry: dry runs describe and start nothing; a switchover
// drill run loses no acknowledged write; a read-scaling run reports replica reads.
// Numbers (unavailability, staleness) are printed by the drills, never asserted here.
import { describe, expect, it } from "vitest";
import { allTools } from "../tools/index.js";
import { listLabs } from "../src/lab/index.js";
import { invokeTool } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { useTempLabHome } from "./helpers/env.js";

useTempLabHome();

async function run(name: string, args: Record<string, unknown>) {
  const tool = allTools.find((t) => t.name === name)!;
  const r = await invokeTool(tool, args, { ctx: { progress: () => {}, signal: new AbortController().signal, targets: createResolver() } });
  if (!r.ok) throw new Error(r.summary);
  return r.output as { dryRun: boolean; plan: string[]; scenarios: { scenario: string; summary: { runs: number; lost: { max: number }; validRuns: number; replicaShare?: { min: number } }; runs: { acknowledged: number }[] }[] };
}

describe("drill tools", () => {
  // A run whose action failed (a cut iptables refused, a fix that threw) measured nothing:
  // the CLI exits 1 and a runbook step without expect fails, for every drill.
  it("every drill's exit code says 1 when an action failed in any run, 0 otherwise", () => {
    const run = (actionError?: string) => ({ run: 1, acknowledged: 1, lost: 0, unknown: 0, unknownPresent: 0, failed: 0, unavailableMs: 0, windows: [], staleReads: 0, maxStalenessMs: 0, events: [], ...(actionError ? { actionError } : {}) });
    const out = (actionError?: string) => ({ drill: "d", dryRun: false, plan: [], splitBrain: [], scenarios: [{ scenario: "s", summary: {}, runs: [run(), run(actionError)] }] });
    const drills = allTools.filter((t) => t.toolset === "drills");
    expect(drills.length).toBeGreaterThanOrEqual(8);
    for (const t of drills) {
      const exitCode = t.cli?.exitCode as ((o: unknown) => number) | undefined;
      expect({ tool: t.name, ok: exitCode?.(out()), failed: exitCode?.(out("Partitions change iptables rules, which needs root.")) }).toEqual({ tool: t.name, ok: 0, failed: 1 });
    }
  });

  it("dry runs describe the drill and start nothing", async () => {
    for (const name of ["drill_switchover", "drill_sentinel_failover", "drill_kill_master", "drill_read_scaling"]) {
      const out = await run(name, { dryRun: true });
      expect(out.dryRun).toBe(true);
      expect(out.plan.length).toBeGreaterThan(2);
    }
    expect(await listLabs()).toEqual([]);
  });

  it("a planned switchover under writes loses no acknowledged write, and its labs are gone after", async () => {
    const out = await run("drill_switchover", { runs: 1, warmupMs: 200, settleMs: 300 });
    const [s] = out.scenarios;
    expect(s.summary).toMatchObject({ runs: 1, lost: { max: 0 }, validRuns: 1 });
    expect(s.runs[0].acknowledged).toBeGreaterThan(0);
    expect(await listLabs()).toEqual([]);
  });

  it("read scaling reports the share of reads the replicas served", async () => {
    const out = await run("drill_read_scaling", { runs: 1, warmupMs: 200, settleMs: 200 });
    expect(out.scenarios[0].summary.replicaShare!.min).toBeGreaterThan(0);
  });
});
