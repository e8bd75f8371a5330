// The `runbook` verb's own parsing: --report pairs in every spelling, the runbook file
// also when --report came first (commander's variadic option takes it along), and the
// exit codes of validate (0 valid, 1 problems) and run (2: invalid, nothing ran).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseReports } from "../src/cli/runbook.js";
import { CLI } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";

useTempLabHome();
const dir = mkdtempSync(join(tmpdir(), "runbook-cli-"));

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe("--report", () => {
  it.each<[string[], Array<{ format: string; file: string }>]>([
    [["junit", "a.xml"], [{ format: "junit", file: "a.xml" }]],
    [["junit=a.xml", "json:b.json"], [{ format: "junit", file: "a.xml" }, { format: "json", file: "b.json" }]],
    [["markdown", "r.md", "json", "r.json"], [{ format: "markdown", file: "r.md" }, { format: "json", file: "r.json" }]],
  ])("%j", (values, want) => expect(parseReports(values)).toEqual(want));

  it.each([[["junit"]], [["xml", "a.xml"]], [["junit", "json"]]])("refuses %j", (values) => {
    expect(() => parseReports(values)).toThrow(/--report takes a format \(json, junit, markdown\) and a file/);
  });
});

describe("runbook verb", () => {
  const bad = join(dir, "bad.yaml");
  writeFileSync(bad, "name: bad\nsteps:\n  - tool: cluster_check\n    with: { nodes: [127.0.0.1:1] }\n    expect: [{ path: ok, equals: yes, gt: 1 }]\n");

  it("validate: exit 1 and every problem; run: exit 2, nothing ran, the JUnit file says why, also with --report first", async () => {
    const v = await cli(["runbook", "validate", bad]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`${bad}:5:43: step 1 (cluster_check): expect[0]: has both equals and gt; write one expectation for each`);
    const junit = join(dir, "bad.xml");
    const r = await cli(["runbook", "run", "--report", "junit", junit, bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("1 problem(s); nothing was run.");
    expect(existsSync(junit)).toBe(true);
  });

  it("validate: a valid file says what it will do", async () => {
    const good = join(dir, "good.yaml");
    writeFileSync(good, "name: good\ntarget: { lab: { name: x, nodes: 3 } }\nsteps:\n  - tool: cluster_check\ncleanup:\n  - { tool: lab_down, with: { name: x }, confirm: true }\n");
    const v = await cli(["runbook", "validate", good]);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toBe(`${good}: valid. 'good': 1 step(s), 1 cleanup step(s); destructive, confirmed in the file: cleanup step 1 (lab_down).\n`);
    // Several files at once (runbooks/*.yaml in CI): each reported, exit 1 when any is invalid.
    const both = await cli(["runbook", "validate", good, bad, "--json"]);
    expect(both.code).toBe(1);
    expect(both.stdout.trim().split("\n").map((l) => JSON.parse(l)).map((r) => [r.file, r.ok])).toEqual([
      [good, true],
      [bad, false],
    ]);
  });

  it("a password read from env never reaches the terminal or any report", async () => {
    const secret = "s3cret-Pass-4417";
    const file = join(dir, "secret.yaml");
    writeFileSync(
      file,
      `name: secret lab
target:
  lab: { name: rb-secret, nodes: 3, cluster: false, password: "\${{ env.RB_LAB_PW }}" }
steps:
  - id: status
    tool: lab_status
    with: { name: "\${{ target.lab }}" }
    expect: [{ path: running, equals: 3 }]
  - id: echo
    tool: lab_status
    with: { name: "\${{ env.RB_LAB_PW }}" }
    continue-on-error: true
`,
    );
    const reports = ["json", "junit", "markdown"].map((f) => [f, join(dir, `secret.${f}`)]);
    const r = await cli(["runbook", "run", file, ...reports.flatMap(([f, p]) => ["--report", f, p])], { RB_LAB_PW: secret });
    expect(r.code, r.stderr).toBe(0);
    for (const text of [r.stdout, r.stderr, ...reports.map(([, p]) => readFileSync(p, "utf8"))]) expect(text).not.toContain(secret);
    expect(readFileSync(reports[0][1], "utf8")).toContain("[redacted]");
  });
});
