/**
 * The local lab on real redis-server processes: placement on loopback hosts, ports
 * below the ephemeral range, state a second process can read, stop by pid only, and the
 * port race handled by retrying on another port.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { labDown, labStatus, labUp, listLabs, loadLab } from "../src/lab/index.js";
import { saveLab } from "../src/lab/store.js";
import { isNodeProcess, startNode, stopNode } from "../src/lab/node-process.js";
import { PortAllocator, canBind } from "../src/lab/ports.js";
import { findRedisCli, findRedisServer } from "../src/lab/redis-binary.js";
import { invokeTool } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { labDown as labDownTool } from "../tools/lab/lab-down.js";
import { labList as labListTool } from "../tools/lab/lab-list.js";
import { labStatus as labStatusTool } from "../tools/lab/lab-status.js";
import { labUp as labUpTool } from "../tools/lab/lab-up.js";
import type { AnyTool } from "../src/registry/tool.js";
import type { LabState } from "../src/lab/types.js";
import { CLI } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";

const home = useTempLabHome();
const run = promisify(execFile);
const cli = findRedisCli();

async function redisCli(host: string, port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run(cli, ["-h", host, "-p", String(port), ...args]);
  return stdout.trim();
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/cmdline`, "utf8") !== "";

const labTools = [labUpTool, labStatusTool, labDownTool, labListTool] as unknown as AnyTool[];

function callTool(name: string, args: Record<string, unknown>) {
  const ctx = { progress: () => {}, signal: new AbortController().signal, targets: createResolver() };
  return invokeTool(labTools.find((t) => t.name === name)!, args, { ctx });
}

describe("local lab", () => {
  it("starts 3 cluster nodes on 127.0.1.x that a second process sees, and stops every pid on down", async () => {
    const state = await labUp({ name: "three", nodes: 3 });
    expect(state.nodes.map((n) => `${n.host} ${n.zone}`)).toEqual(["127.0.1.1 z1", "127.0.1.2 z1", "127.0.1.3 z1"]);
    for (const n of state.nodes) {
      expect(await redisCli(n.host, n.port, "PING")).toBe("PONG");
      expect(n.port + 10000).toBeLessThan(32768);
      expect(await canBind(n.host, n.port + 10000)).toBe(false); // the cluster bus is listening
    }
    expect(statSync(join(home, "labs", "three", "lab.json")).mode & 0o777).toBe(0o600);

    const cliPath = CLI;
    expect(existsSync(cliPath), "build first: npm run build").toBe(true);
    const { stdout } = await run(process.execPath, [cliPath, "lab", "status", "three", "--json"], { env: process.env });
    const seen = JSON.parse(stdout) as { running: number; nodes: Array<{ address: string; clusterEnabled: boolean }> };
    expect(seen.running).toBe(3);
    expect(seen.nodes.map((n) => n.address)).toEqual(state.nodes.map((n) => `${n.host}:${n.port}`));
    expect(seen.nodes.every((n) => n.clusterEnabled)).toBe(true);

    await labDown("three");
    for (const n of state.nodes) expect(alive(n.pid!)).toBe(false);
    expect(existsSync(state.dir)).toBe(false);
    expect(await loadLab("three")).toBeUndefined();
    expect(existsSync(join(home, "labs", "three"))).toBe(false);
  });

  it("puts zone 2 nodes on 127.0.2.x, and keeps the password out of argv and tool output", async () => {
    const out = await callTool("lab_up", { name: "zoned", nodes: 4, zones: 2, cluster: false, password: "pw-zoned-1" });
    expect(out.ok).toBe(true);
    expect(JSON.stringify(out)).not.toContain("pw-zoned-1");
    const state = (await loadLab("zoned"))!;
    expect(state.nodes.map((n) => `${n.host} ${n.zone}`)).toEqual(["127.0.1.1 z1", "127.0.2.1 z2", "127.0.1.2 z1", "127.0.2.2 z2"]);
    for (const n of state.nodes) {
      expect(readFileSync(`/proc/${n.pid}/cmdline`, "utf8")).not.toContain("pw-zoned-1");
      expect(await redisCli(n.host, n.port, "PING")).toMatch(/NOAUTH/);
    }
    const { nodes } = await labStatus("zoned");
    expect(nodes.map((n) => [n.running, n.role, n.clusterEnabled, n.keys])).toEqual(Array(4).fill([true, "master", false, 0]));
    await labDown("zoned");
  });

  it("refuses a name in use, a bad name and the docker backend with typed errors", async () => {
    await labUp({ name: "taken", nodes: 1 });
    await expect(labUp({ name: "taken", nodes: 1 })).rejects.toMatchObject({ code: "lab_exists" });
    await expect(labUp({ name: "Bad Name", nodes: 1 })).rejects.toMatchObject({ code: "invalid_input" });
    // No engine where DOCKER_HOST points: a typed error that says what to do, and no lab left.
    const dockerHost = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = "unix:///nonexistent/docker.sock";
    try {
      await expect(labUp({ name: "dock", nodes: 1, backend: "docker" })).rejects.toMatchObject({ code: "docker_unavailable" });
    } finally {
      if (dockerHost === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = dockerHost;
    }
    const names = (await listLabs()).map((l) => l.name);
    expect(names).toContain("taken");
    expect(names).not.toContain("dock");
    await labDown("taken");
  });

  it("gives two labs started at once disjoint ports", async () => {
    const [a, b] = await Promise.all([labUp({ name: "par-a", nodes: 3 }), labUp({ name: "par-b", nodes: 3 })]);
    const portsA = new Set(a.nodes.map((n) => n.port));
    expect(b.nodes.filter((n) => portsA.has(n.port))).toEqual([]);
    await Promise.all([labDown("par-a"), labDown("par-b")]);
  });

  it("starts 6 nodes quickly (time printed for the report)", async () => {
    const started = performance.now();
    await labUp({ name: "six", nodes: 6 });
    const ms = performance.now() - started;
    console.info(`lab up, 6 nodes: ${ms.toFixed(1)} ms`);
    const { nodes } = await labStatus("six");
    expect(nodes.filter((n) => n.running)).toHaveLength(6);
    await labDown("six");
  });
});

describe("node processes", () => {
  const hold = (host: string, port: number) =>
    new Promise<Server>((resolve) => {
      const s = createServer();
      s.listen({ host, port, exclusive: true }, () => resolve(s));
    });

  it("retries on another port when the probed port is taken before redis-server binds it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "redis-pilot-race-"));
    const host = "127.0.7.1";
    const taken = await hold(host, 0);
    const takenPort = (taken.address() as { port: number }).port;
    try {
      // Simulates the race: the first port is bound by someone else by the time redis-server starts.
      const { port, pid } = await startNode({ bin: findRedisServer(), host, dir, port: takenPort, allocator: new PortAllocator(), conf: { cluster: true, nodeTimeoutMs: 15000 } });
      expect(port).not.toBe(takenPort);
      expect(await redisCli(host, port, "PING")).toBe("PONG");
      expect(await stopNode(pid, dir)).toBe(true);
      expect(alive(pid)).toBe(false);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never signals a pid that is no longer the lab's redis-server", async () => {
    const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
    const dir = mkdtempSync(join(tmpdir(), "redis-pilot-reused-"));
    await mkdir(join(dir, "node-0"));
    const fake: LabState = {
      name: "reused",
      backend: "local",
      spec: { name: "reused", nodes: 1, cluster: true, zones: 1, backend: "local", nodeTimeoutMs: 15000, passwordSet: false },
      dir,
      createdAt: new Date().toISOString(),
      nodes: [{ index: 0, host: "127.0.1.1", port: 7000, zone: "z1", pid: sleeper.pid!, dir: join(dir, "node-0") }],
    };
    await saveLab(fake);
    try {
      expect(isNodeProcess(sleeper.pid!, fake.nodes[0].dir)).toBe(false);
      const report = await labDown("reused");
      expect(alive(sleeper.pid!)).toBe(true);
      expect(report.nodes).toMatchObject([{ outcome: "not_running" }]);
      // No marker of this lab inside: it did not create that dir, so it is not deleted.
      expect(existsSync(dir)).toBe(true);
      expect(report).toMatchObject({ dirRemoved: false, stateRemoved: true });
      expect(await loadLab("reused")).toBeUndefined();
    } finally {
      process.kill(sleeper.pid!, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("lab tools", () => {
  it("dry runs change nothing, lab_down needs confirmation, then stops the lab", async () => {
    const dry = await callTool("lab_up", { name: "tooled", nodes: 2, zones: 2, dryRun: true });
    expect(dry).toMatchObject({ ok: true, output: { dryRun: true, nodes: [{ address: "127.0.1.1", zone: "z1" }, { address: "127.0.2.1", zone: "z2" }] } });
    expect(await loadLab("tooled")).toBeUndefined();

    const up = await callTool("lab_up", { name: "tooled", nodes: 2 });
    expect(up.ok).toBe(true);
    const listed = await callTool("lab_list", {});
    const labs = listed.ok ? (listed.output.labs as Array<{ name: string; nodes: unknown[] }>) : [];
    expect(labs.find((l) => l.name === "tooled")).toMatchObject({ cluster: true, zones: 1, nodes: [{ zone: "z1" }, { zone: "z1" }] });

    const unconfirmed = await callTool("lab_down", { name: "tooled" });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: "confirmation_required" } });
    const planned = await callTool("lab_down", { name: "tooled", dryRun: true });
    expect(planned).toMatchObject({ ok: true, output: { dryRun: true } });
    expect((await labStatus("tooled")).nodes.every((n) => n.running)).toBe(true);

    const down = await callTool("lab_down", { name: "tooled", confirm: true });
    expect(down).toMatchObject({ ok: true, output: { dryRun: false, name: "tooled" } });
    expect(await callTool("lab_status", { name: "tooled" })).toMatchObject({ ok: false, error: { code: "lab_not_found" } });
  });
});
