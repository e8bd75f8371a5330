// Red team: may an MCP client write (or read back) files anywhere? Before the fix, a
// drill's history/svg and a reshard's planOut were written wherever the call said, dry
// runs included (a model could overwrite ~/.bashrc with a plan), and a saved plan was
// read from anywhere. Now the files a call names live under REDIS_PILOT_HOME/files
// for MCP, the agent, and runbooks runbook_run starts (their vars too); the CLI
// operator's paths go where they say.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labUp } from "../src/lab/index.js";
import { createCluster } from "../src/ops/cluster-create/index.js";
import { formatAddress } from "../src/redis/address.js";
import { uniformAccess } from "../src/redis/node-access.js";
import { useTempLabHome } from "./helpers/env.js";
import { runBin } from "./helpers/cli.js";
import { stdioClient, textOf, type StdioSession } from "./helpers/mcp-client.js";

const home = useTempLabHome();
const outside = mkdtempSync(join(tmpdir(), "redteam-outside-"));
let s: StdioSession;

beforeAll(async () => {
  const lab = await labUp({ name: "files", nodes: 3, cluster: true });
  const nodes = lab.nodes.map((n) => formatAddress(n));
  await createCluster({ addresses: nodes, replicas: 0, access: uniformAccess() }, { progress: () => {} });
  s = await stdioClient();
});

afterAll(async () => {
  await s?.client.close();
  rmSync(outside, { recursive: true, force: true });
});

async function masterIds(): Promise<string[]> {
  const r = await s.client.callTool({ name: "cluster_info", arguments: { lab: "files" } });
  const out = r.structuredContent as { nodes: { id: string; role: string }[] };
  return out.nodes.filter((n) => n.role === "master").map((n) => n.id);
}

describe("files an MCP call names stay under REDIS_PILOT_HOME/files", () => {
  it("planOut outside (absolute, .., a symlink out) is refused before anything runs, and nothing is written there", async () => {
    const [a, b] = await masterIds();
    mkdirSync(join(home, "files"), { recursive: true });
    symlinkSync(join(outside, "linked.json"), join(home, "files", "link.json"));
    symlinkSync(outside, join(home, "files", "dir-link"));
    for (const planOut of [join(outside, "abs.json"), "../escape.json", "link.json", "dir-link/in-linked-dir.json", join(home, "files", "..", "up.json")]) {
      const r = await s.client.callTool({ name: "cluster_reshard", arguments: { lab: "files", from: a, to: b, slots: 5, dryRun: true, planOut } });
      expect(r.isError, `${planOut}: ${textOf(r)}`).toBe(true);
      expect(textOf(r)).toMatch(/files named by a tool call are kept in .*files here/);
    }
    expect(existsSync(join(outside, "abs.json")) || existsSync(join(outside, "linked.json")) || existsSync(join(outside, "in-linked-dir.json"))).toBe(false);
    expect(existsSync(join(home, "escape.json")) || existsSync(join(home, "up.json"))).toBe(false);
  });

  it("a plain name is written under the files dir and read back from there; a plan elsewhere is not read", async () => {
    const [a, b] = await masterIds();
    const r = await s.client.callTool({ name: "cluster_reshard", arguments: { lab: "files", from: a, to: b, slots: 5, dryRun: true, planOut: "p.json" } });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(JSON.parse(readFileSync(join(home, "files", "p.json"), "utf8")).kind).toBe("migration");
    const copy = join(outside, "p.json");
    writeFileSync(copy, readFileSync(join(home, "files", "p.json")));
    const elsewhere = await s.client.callTool({ name: "cluster_reshard", arguments: { lab: "files", from: "x", to: "x", plan: copy, dryRun: true } });
    expect(elsewhere.isError).toBe(true);
    expect(textOf(elsewhere)).toContain("lies outside that directory");
    const back = await s.client.callTool({ name: "cluster_reshard", arguments: { lab: "files", from: "x", to: "x", plan: "p.json", dryRun: true } });
    expect(back.isError, textOf(back)).toBeFalsy();
  });

  it("a drill's history and svg: refused outside, even in a dry run", async () => {
    for (const args of [{ history: join(outside, "h.json") }, { svg: join(outside, "t.svg") }]) {
      const r = await s.client.callTool({ name: "drill_switchover", arguments: { ...args, dryRun: true } });
      expect(r.isError, textOf(r)).toBe(true);
    }
    expect(existsSync(join(outside, "h.json")) || existsSync(join(outside, "t.svg"))).toBe(false);
  });

  it("a runbook that runbook_run starts over MCP cannot smuggle a path in through its vars", async () => {
    const book = join(outside, "plan-out.yaml");
    writeFileSync(
      book,
      "name: plan out\nvars:\n  out: plan.json\n  from: x\n  to: x\ntarget:\n  lab: files\nsteps:\n  - tool: cluster_reshard\n    with: { from: '${{ vars.from }}', to: '${{ vars.to }}', slots: 5, dryRun: true, planOut: '${{ vars.out }}' }\n",
    );
    const [a, b] = await masterIds();
    const r = await s.client.callTool({ name: "runbook_run", arguments: { file: book, vars: { out: join(outside, "smuggled.json"), from: a, to: b }, confirm: true } });
    expect((r.structuredContent as { ok: boolean }).ok).toBe(false);
    expect(JSON.stringify(r.structuredContent)).toContain("lies outside that directory");
    expect(existsSync(join(outside, "smuggled.json"))).toBe(false);
  });

  it("the CLI operator's own path is written where they typed it", async () => {
    const [a, b] = await masterIds();
    const file = join(outside, "cli-plan.json");
    const r = await runBin(["cluster", "reshard", "--lab", "files", "--from", a, "--to", b, "--slots", "5", "--dry-run", "--plan-out", file]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);
  });
});
