// Issue 9, items 4 and 5: a broken lab state file breaks only its own lab (and
// `lab down NAME --force` removes it, stopping what is left of it); `lab down` reports
// each node honestly, exits non-zero when one was not stopped, and deletes only dirs
// that carry the lab's marker. Real redis-server processes, the built CLI, a real MCP client.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labUp, loadLab, listLabs } from "../src/lab/index.js";
import { isNodeProcess, stopNode } from "../src/lab/node-process.js";
import { labStateDir, saveLab } from "../src/lab/store.js";
import type { LabState } from "../src/lab/types.js";
import { formatAddress } from "../src/redis/address.js";
import { useTempLabHome } from "./helpers/env.js";
import { runBin } from "./helpers/cli.js";
import { stdioClient, textOf } from "./helpers/mcp-client.js";

useTempLabHome();
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("a broken lab state file breaks only its own lab", () => {
  let good: LabState;
  let broken: LabState;
  beforeAll(async () => {
    [good, broken] = await Promise.all([labUp({ name: "good", nodes: 3 }), labUp({ name: "broken", nodes: 2 })]);
    const file = join(labStateDir("broken"), "lab.json");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
  });

  it("lab ls lists the good lab and names the broken one in one sentence; lab status of the good one works", async () => {
    const ls = await runBin(["lab", "ls"]);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toContain("good");
    expect(ls.stdout).toMatch(/broken: broken\. The state file of lab 'broken' \(.+lab\.json\) cannot be used: it is not valid JSON/);
    expect(ls.stdout + ls.stderr).not.toMatch(/Internal error|bug/);
    expect((await runBin(["lab", "status", "good"])).code).toBe(0);
    const status = await runBin(["lab", "status", "broken"]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain("lab down broken --force");
    expect(status.stderr).not.toMatch(/Internal error/);
  });

  it("cluster check of the other lab's node, MCP lab_list, cluster_check and resources/list still answer", async () => {
    const node = formatAddress(good.nodes[0]);
    const check = await runBin(["cluster", "check", node]);
    expect(check.stderr).not.toMatch(/Internal error/);
    const s = await stdioClient();
    try {
      const list = await s.client.callTool({ name: "lab_list", arguments: {} });
      expect(list.isError).toBeFalsy();
      expect(list.structuredContent).toMatchObject({ labs: [{ name: "good" }], broken: [{ name: "broken" }] });
      const c = await s.client.callTool({ name: "cluster_check", arguments: { nodes: [node] } });
      expect(textOf(c)).not.toMatch(/Internal error/);
      const resources = await s.client.listResources();
      expect(resources.resources.map((r) => r.uri)).toContain("redis-pilot://lab/good/topology.json");
    } finally {
      await s.client.close();
    }
  });

  it("lab down without --force refuses in one sentence; with --force it stops what is left of the lab and removes it", async () => {
    const plain = await runBin(["lab", "down", "broken", "--yes"]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("--force");
    const pids = broken.nodes.map((n) => n.pid!);
    expect(pids.every(alive)).toBe(true);
    const forced = await runBin(["lab", "down", "broken", "--force", "--yes", "--json"]);
    expect(forced.code, forced.stderr).toBe(0);
    const out = JSON.parse(forced.stdout);
    expect(out).toMatchObject({ ok: true, stateRemoved: true, dirRemoved: true });
    expect(out.nodes.map((n: { outcome: string }) => n.outcome)).toEqual(["stopped", "stopped"]);
    expect(pids.some(alive)).toBe(false);
    expect(existsSync(broken.dir)).toBe(false);
    expect(existsSync(labStateDir("broken"))).toBe(false);
    expect((await listLabs()).map((l) => l.name)).toEqual(["good"]);
  });
});

describe("lab down reports each node as it is", () => {
  it("a node whose recorded pid is not its process and that still answers is NOT stopped: exit 1, state kept", async () => {
    const lab = await labUp({ name: "stale", nodes: 2 });
    const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
    const realPid = lab.nodes[0].pid!;
    const realDir = lab.nodes[0].dir;
    // The record now points at another process, in a dir its process was not started from.
    const otherDir = mkdtempSync(join(tmpdir(), "redis-pilot-elsewhere-"));
    await saveLab({ ...lab, nodes: [{ ...lab.nodes[0], pid: sleeper.pid!, dir: otherDir }, lab.nodes[1]] });
    try {
      const r = await runBin(["lab", "down", "stale", "--yes", "--json"]);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ ok: false, stateRemoved: false, dirRemoved: false });
      expect(out.nodes[0]).toMatchObject({ address: formatAddress(lab.nodes[0]), outcome: "not_stopped" });
      expect(out.nodes[0].detail).toContain(`pid ${sleeper.pid} recorded for it is not this node's process`);
      expect(out.nodes[1]).toMatchObject({ outcome: "stopped" });
      expect(alive(sleeper.pid!)).toBe(true);
      expect(alive(realPid)).toBe(true);
      expect(await loadLab("stale")).toBeDefined();
      const human = await runBin(["lab", "down", "stale", "--yes"]);
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(/1 of 2 nodes NOT stopped/);
    } finally {
      sleeper.kill("SIGKILL");
      if (isNodeProcess(realPid, realDir)) await stopNode(realPid, realDir);
      rmSync(otherDir, { recursive: true, force: true });
    }
    const forced = await runBin(["lab", "down", "stale", "--yes", "--force"]);
    expect(forced.code).toBe(0);
    expect(existsSync(lab.dir)).toBe(false);
  });

  it("a stale pid with the node still running from its own config is found by that config and stopped", async () => {
    const lab = await labUp({ name: "moved", nodes: 1 });
    const realPid = lab.nodes[0].pid!;
    await saveLab({ ...lab, nodes: [{ ...lab.nodes[0], pid: 999_999 }] });
    const r = await runBin(["lab", "down", "moved", "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).nodes[0]).toMatchObject({ outcome: "stopped", pid: realPid });
    expect(alive(realPid)).toBe(false);
  });

  it("never deletes a redis-pilot-* dir the lab did not create (no marker inside)", async () => {
    const lab = await labUp({ name: "pointed", nodes: 1 });
    const foreign = mkdtempSync(join(tmpdir(), "redis-pilot-not-a-lab-"));
    writeFileSync(join(foreign, "precious.txt"), "keep me");
    try {
      await saveLab({ ...lab, dir: foreign });
      const r = await runBin(["lab", "down", "pointed", "--yes", "--json"]);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ dirRemoved: false, stateRemoved: true });
      expect(out.notes.join(" ")).toContain("no marker of lab pointed");
      expect(existsSync(join(foreign, "precious.txt"))).toBe(true);
    } finally {
      rmSync(foreign, { recursive: true, force: true });
      rmSync(lab.dir, { recursive: true, force: true });
    }
  });
});

afterAll(() => {
  // Labs left by a failing test are downed by useTempLabHome.
});
