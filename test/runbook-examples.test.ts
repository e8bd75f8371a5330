// The example runbooks in runbooks/ run green on the local lab, through the built CLI as
// a CI job would run them (`npm test` builds first): exit code 0, a JUnit report with no
// failed test case, and `redis-cli --cluster check` passing on the cluster they built.
// A runbook whose expectation fails exits 1 and its JUnit report marks that step failed.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { labDown, listLabs } from "../src/lab/index.js";
import { validateRunbook } from "../src/runbook/index.js";
import { allTools } from "../tools/index.js";
import { CLI } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";

useTempLabHome();
const out = mkdtempSync(join(tmpdir(), "runbook-examples-"));
const RUNBOOKS = new URL("../runbooks/", import.meta.url).pathname;

/** Every example and the test that runs it; a new example without a test fails the first test. */
const COVERED = ["cluster-6-nodes.yaml", "health-check.yaml", "multi-dc.yaml", "planned-failover.yaml", "read-replicas.yaml", "reshard.yaml", "sentinel-3-nodes.yaml"];
/** Partitions are iptables rules: root only (CI runs as root). */
const ROOT = process.getuid?.() === 0;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 240_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Case {
  name: string;
  failure?: { message: string };
  skipped?: unknown;
  error?: unknown;
}

/** Runs an example with --keep and reports, expects it green; returns its JSON report (the lab stays for the caller). */
async function runGreen(example: string, ...extra: string[]): Promise<{ steps: Array<{ key: string; tool: string; output?: Record<string, unknown> }> }> {
  const base = example.replace(/\.yaml$/, "");
  const junit = join(out, `${base}.xml`);
  const json = join(out, `${base}.json`);
  const r = await cli(["runbook", "run", join(RUNBOOKS, example), "--keep", "--report", "junit", junit, "--report", "json", json, ...extra]);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  expect(junitCases(junit).filter((c) => c.failure || c.error || c.skipped)).toEqual([]);
  return JSON.parse(readFileSync(json, "utf8"));
}

/** redis-cli --cluster check, the outside judge, on the cluster the runbook's `create` step built. */
async function expectRedisCliCheckPasses(report: Awaited<ReturnType<typeof runGreen>>): Promise<void> {
  const seed = (report.steps.find((s) => s.key === "create")!.output!.nodes as Array<{ address: string }>)[0].address;
  const judge = await redisCliClusterCheck(seed);
  expect(judge.ok, judge.output).toBe(true);
}

function junitCases(file: string): Case[] {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(readFileSync(file, "utf8"));
  return [doc.testsuites.testsuite.testcase].flat();
}

afterAll(async () => {
  for (const lab of await listLabs()) await labDown(lab.name);
});

describe("example runbooks", () => {
  it("every example validates and has a test here", () => {
    const files = readdirSync(RUNBOOKS).filter((f) => f.endsWith(".yaml"));
    expect(files.sort()).toEqual([...COVERED].sort());
    for (const f of files) {
      const text = readFileSync(join(RUNBOOKS, f), "utf8");
      expect(text.startsWith("# yaml-language-server: $schema=./runbook.schema.json\n"), f).toBe(true);
      const v = validateRunbook(text, { tools: allTools, env: {} });
      expect(v.ok ? [] : v.problems, f).toEqual([]);
    }
  });

  it("the example in docs/runbooks.md validates", () => {
    const doc = readFileSync(new URL("../docs/runbooks.md", import.meta.url), "utf8");
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1];
    const v = validateRunbook(yaml, { tools: allTools, env: {} });
    expect(v.ok ? [] : v.problems).toEqual([]);
  });

  it("--dry-run plans the lab, skips what needs it, changes nothing", async () => {
    const r = await cli(["runbook", "run", join(RUNBOOKS, "multi-dc.yaml"), "--dry-run", "--json", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, dryRun: true });
    expect(report.steps[0]).toMatchObject({ key: "target-up", status: "passed", args: { dryRun: true } });
    for (const s of report.steps.slice(1)) expect(s).toMatchObject({ status: "skipped", reason: "dry run: it acts on lab rb-multi-dc, which a dry run only plans" });
    expect(await listLabs()).toEqual([]);
  });

  it("cluster-6-nodes builds a verified cluster; health-check passes on it; a failed expectation exits 1 and JUnit marks it", async () => {
    const junit = join(out, "cluster.xml");
    const json = join(out, "cluster.json");
    const r = await cli(["runbook", "run", join(RUNBOOKS, "cluster-6-nodes.yaml"), "--keep", "--report", "junit", junit, "--report", `json=${json}`]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^Runbook 'Six-node cluster with three masters' passed/);
    expect(r.stderr).toMatch(/held\s+counts\.masters == 3/);
    const cases = junitCases(junit);
    expect(cases.map((c) => c.name)).toEqual([
      "start the target lab (lab_up)",
      "step 'plan' (cluster_create)",
      "step 'create' (cluster_create)",
      "step 'check' (cluster_check)",
      "step 'info' (cluster_info)",
    ]);
    expect(cases.filter((c) => c.failure || c.error || c.skipped)).toEqual([]);
    const report = JSON.parse(readFileSync(json, "utf8"));
    const seed = report.steps.find((s: { key: string }) => s.key === "create").output.nodes[0].address;
    const judge = await redisCliClusterCheck(seed);
    expect(judge.ok, judge.output).toBe(true);

    const health = await cli(["runbook", "run", join(RUNBOOKS, "health-check.yaml"), "--lab", "rb-cluster", "--report", "junit", join(out, "health.xml")]);
    expect(health.code, health.stderr + health.stdout).toBe(0);
    expect(junitCases(join(out, "health.xml")).filter((c) => c.failure || c.error || c.skipped)).toEqual([]);

    // The same cluster, a runbook that expects four masters: exit 1, that step a JUnit failure.
    const failing = join(out, "expects-four.yaml");
    writeFileSync(
      failing,
      `name: expects four masters
target: { lab: rb-cluster }
steps:
  - id: check
    tool: cluster_check
    expect:
      - { path: ok, equals: true }
      - { path: counts.masters, equals: 4 }
  - id: info
    tool: cluster_info
cleanup:
  - id: status
    tool: lab_status
    with: { name: "\${{ target.lab }}" }
    expect: [{ path: running, equals: 6 }]
`,
    );
    const bad = await cli(["runbook", "run", failing, "--report", "junit", join(out, "four.xml")]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAILED/);
    expect(bad.stdout).toMatch(/First failure: step 'check' \(cluster_check\) failed: expected counts\.masters == 4, found 3/);
    const four = junitCases(join(out, "four.xml"));
    expect(four.map((c) => [c.name, !!c.failure, c.skipped !== undefined])).toEqual([
      ["step 'check' (cluster_check)", true, false],
      ["step 'info' (cluster_info)", false, true],
      ["cleanup step 'status' (lab_status)", false, false],
    ]);
    expect(four[0].failure!.message).toBe("expected counts.masters == 4: found 3");

    // An invalid runbook: exit 2, nothing run, and the JUnit file says why.
    writeFileSync(failing, readFileSync(failing, "utf8").replace("tool: cluster_info", "tool: cluster_inf"));
    const invalid = await cli(["runbook", "run", failing, "--report", "junit", join(out, "invalid.xml")]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/expects-four\.yaml:10:11: step 'info': unknown tool 'cluster_inf'; did you mean 'cluster_info'\?/);
    expect(junitCases(join(out, "invalid.xml"))[0].error).toBeDefined();
  }, 300_000);

  it.skipIf(!ROOT)("multi-dc: nine nodes over three zones lose z1, fail over, heal and converge", async () => {
    const report = await runGreen("multi-dc.yaml");
    await expectRedisCliCheckPasses(report);
    await labDown("rb-multi-dc");
  }, 300_000);

  it("sentinel-3-nodes: the sentinels promote a replica when the master is killed; the old master rejoins as a replica", async () => {
    const report = await runGreen("sentinel-3-nodes.yaml");
    expect(report.steps.map((s) => s.key)).toEqual(["target-up", "topology", "sentinels", "replication", "kill", "failover", "restart", "rejoined", "healthy-again"]);
    await labDown("rb-sentinel");
  }, 300_000);

  it("read-replicas (with --var replicas=3): a lost replica leaves the rest serving; restarted, it comes back as a replica of the same master", async () => {
    const report = await runGreen("read-replicas.yaml", "--var", "replicas=3");
    const status = report.steps.find((s) => s.key === "topology")!.output as { nodes: Array<{ role: string }> };
    expect(status.nodes.filter((n) => n.role === "replica")).toHaveLength(3);
    await labDown("rb-read-replicas");
  }, 300_000);

  it("reshard: slots move to one master and are rebalanced back; redis-cli --cluster check passes after; the reshard drill loses nothing", async () => {
    const report = await runGreen("reshard.yaml", "--var", "slots=700", "--var", "drillSlots=512");
    expect(report.steps.find((s) => s.key === "reshard")!.output).toMatchObject({ ok: true, slotsMoved: 700 });
    // The drill step ran (on its own lab, stopped after): one run, its numbers judged by the runbook.
    const drill = report.steps.find((s) => s.key === "drill")!.output as { scenarios: Array<{ summary: { runs: number; lost: { max: number }; acknowledged: { min: number } } }> };
    expect(drill.scenarios[0].summary).toMatchObject({ runs: 1, lost: { max: 0 } });
    expect(drill.scenarios[0].summary.acknowledged.min).toBeGreaterThan(0);
    await expectRedisCliCheckPasses(report);
    await labDown("rb-reshard");
  }, 300_000);

  it("planned-failover: a coordinated failover swaps the roles everywhere and fails back; redis-cli --cluster check passes", async () => {
    const report = await runGreen("planned-failover.yaml");
    const failover = report.steps.find((s) => s.key === "failover")!.output as { mode: string; oldMaster: { reachable: boolean } };
    expect(failover).toMatchObject({ mode: "default", oldMaster: { reachable: true } });
    await expectRedisCliCheckPasses(report);
    await labDown("rb-failover");
  }, 300_000);
});
