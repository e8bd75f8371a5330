// An MCP client runs a reviewed runbook through the runbook_run tool (the SDK's real
// Client over stdio, spawning the built CLI): without confirm it gets the dry run's
// report and changes nothing; with confirm: true the runbook runs, with progress
// notifications and the report as structured content; an invalid file is one error
// naming the line, nothing run.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listLabs } from "../src/lab/index.js";
import { useTempLabHome } from "./helpers/env.js";
import { stdioClient, textOf, type StdioSession } from "./helpers/mcp-client.js";

useTempLabHome();
const dir = mkdtempSync(join(tmpdir(), "runbook-mcp-"));
const file = join(dir, "status.yaml");
writeFileSync(
  file,
  `name: three plain nodes
target:
  lab: { name: rb-mcp, nodes: 3, cluster: false }
steps:
  - id: status
    tool: lab_status
    with: { name: "\${{ target.lab }}" }
    expect:
      - { path: running, equals: 3 }
      - { path: nodes, count: 3, where: { role: master } }
`,
);
let session: StdioSession;

beforeAll(async () => {
  session = await stdioClient();
});
afterAll(() => session?.client.close());

describe("runbook_run over MCP", () => {
  it("without confirm: the dry run's report, nothing started", async () => {
    const r = (await session.client.callTool({ name: "runbook_run", arguments: { file } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("runbook_run is destructive and was not confirmed");
    expect(textOf(r)).toMatch(/Plan \(dry run, nothing was changed\):\nDry run of 'three plain nodes' passed/);
    expect(await listLabs()).toEqual([]);
  });

  it("with confirm: true it runs, reports progress, and returns the report", async () => {
    const progress: Progress[] = [];
    const r = (await session.client.callTool({ name: "runbook_run", arguments: { file, confirm: true } }, undefined, { onprogress: (p) => progress.push(p) })) as CallToolResult;
    expect(r.isError ?? false, textOf(r)).toBe(false);
    const report = r.structuredContent as { ok: boolean; steps: Array<{ key: string; status: string; expectations: Array<{ ok: boolean }> }> };
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => [s.key, s.status])).toEqual([
      ["target-up", "passed"],
      ["status", "passed"],
      ["target-down", "passed"],
    ]);
    expect(report.steps[1].expectations).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
    expect(progress.some((p) => /passed: step 'status' \(lab_status\)/.test(p.message ?? ""))).toBe(true);
    expect(await listLabs()).toEqual([]);
  });

  it("an invalid runbook is one error naming the line; nothing runs", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "name: bad\ntarget: { lab: { name: rb-bad, nodes: 3 } }\nsteps:\n  - tool: lab_statuz\n");
    const r = (await session.client.callTool({ name: "runbook_run", arguments: { file: bad, confirm: true } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain(`${bad}:4:11: step 1 (lab_statuz): unknown tool 'lab_statuz'; did you mean 'lab_status'?`);
    expect(await listLabs()).toEqual([]);
  });
});
