// The split-brain drill on real redis-server and redis-sentinel processes and real
// iptables: one run each of Cluster and Sentinel with the tuned settings. It checks what
// the drill records and reads, not how fast anything was: the cut and the heal are in
// the history, the majority side wrote through its new master during the cut, every
// write the old master acknowledged after the cut is lost at heal, and with
// min-replicas-to-write the old master refused writes (NOREPLICAS) while cut off.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "./helpers/cli.js";
import { invokeTool } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { drillSplitBrain } from "../tools/drills/drill-split-brain.js";
import { useTempLabHome } from "./helpers/env.js";
import { partitionSkipReason } from "./helpers/faults.js";

useTempLabHome();
const skip = partitionSkipReason();

const ctx = () => ({ progress: () => {}, signal: new AbortController().signal, targets: createResolver() });

describe("drill_split_brain", () => {
  it("dry run: the plan names each scenario and its settings, and starts nothing", async () => {
    const r = await invokeTool(drillSplitBrain, { dryRun: true }, { ctx: ctx() });
    expect(r.ok).toBe(true);
    const plan = (r.ok ? r.output.plan : []) as string[];
    expect(plan.join("\n")).toMatch(/cluster\/default, cluster\/tuned, sentinel\/default, sentinel\/tuned/);
    expect(plan.join("\n")).toMatch(/min-replicas-to-write 1/);
  });

  it.skipIf(skip !== undefined)(`one tuned run each of Cluster and Sentinel${skip ? ` (skipped: ${skip})` : ""}`, { timeout: 180_000 }, async () => {
    const r = await invokeTool(drillSplitBrain, { settings: "tuned", runs: 1, settleMs: 500 }, { ctx: ctx() });
    if (!r.ok) throw new Error(r.summary);
    const out = r.output as { splitBrain: Array<{ scenario: string; runs: Array<Record<string, number>> }>; scenarios: Array<{ runs: Array<{ events: Array<{ kind: string }>; actionError?: string }> }> };
    expect(out.splitBrain.map((s) => s.scenario)).toEqual(["cluster/tuned", "sentinel/tuned"]);
    for (const [i, s] of out.splitBrain.entries()) {
      const run = s.runs[0];
      const events = out.scenarios[i].runs[0].events.map((e) => e.kind);
      expect(out.scenarios[i].runs[0].actionError).toBeUndefined();
      expect(events).toEqual(expect.arrayContaining(["partition", "failover", "heal", "rejoined"]));
      expect(run.failoverMs, `${s.scenario}: the majority side wrote through its new master during the cut`).toBeGreaterThan(0);
      expect(run.minorityLost, `${s.scenario}: what the old master took after the cut is lost at heal`).toBe(run.minorityAcked);
      expect(run.minorityAckedAfterHeal).toBe(0);
    }
  });

  // Without the right to change iptables the drill cannot cut anything: it must say so
  // before starting a lab, not run and report a split brain of 0 ms. As root, it runs as
  // root without any capability (setpriv empties the bounding set), so CAP_NET_ADMIN is
  // gone while the checkout stays readable wherever it is cloned (another uid could not
  // read a checkout under a 0700 temp dir); elsewhere the test user already lacks the right.
  it("without iptables rights: refused in one sentence before any lab starts, exit 1", async () => {
    const home = mkdtempSync(join(tmpdir(), "redis-pilot-sb-nocaps-"));
    const argv = [process.execPath, CLI, "drill", "split-brain", "--runs", "1", "--deployment", "sentinel", "--settings", "tuned"];
    const [file, ...args] = process.getuid?.() === 0 ? ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--", ...argv] : argv;
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(file, args, { env: { ...process.env, REDIS_PILOT_HOME: home }, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Partitions change iptables rules, which needs root \(or CAP_NET_ADMIN\)\. /);
    expect(r.stdout).toBe("");
    expect(existsSync(join(home, "labs")) ? readdirSync(join(home, "labs")) : []).toEqual([]);
    rmSync(home, { recursive: true, force: true });
  });
});
