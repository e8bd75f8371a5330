// The docker lab on a real engine (the user's, or one this run starts as root): the local
// image built from this host's redis-server, a lab of containers on 127.0.Z.H, a cluster
// created across 3 zones with zone anti-affinity (our checks and redis-cli --cluster
// check), each fault applied and undone, and lab down leaving no container, no iptables
// rule and no temp dir. Skipped, with the reason in the title, only where no engine can run.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectEngine } from "../src/lab/docker/engine.js";
import { labFilter, nodeLabels } from "../src/lab/docker/labels.js";
import { labDown, loadLab } from "../src/lab/index.js";
import { chainName } from "../src/lab/faults/partition-rules.js";
import { labStateDir, reserveLab, saveLab } from "../src/lab/store.js";
import type { LabState } from "../src/lab/types.js";
import { parseClusterNodes } from "../src/redis/parse-cluster-nodes.js";
import { invokeTool } from "../src/registry/invoke.js";
import type { AnyTool } from "../src/registry/tool.js";
import { createResolver } from "../src/targets/resolver.js";
import { allTools } from "../tools/index.js";
import { CLI } from "./helpers/cli.js";
import { dockerEngineForTests, skipNote } from "./helpers/docker-engine.js";
import { useTempLabHome } from "./helpers/env.js";
import { canConnect, iptablesRules, partitionSkipReason, pingOutcome } from "./helpers/faults.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";

useTempLabHome();
const engine = await dockerEngineForTests();
const noPartitions = partitionSkipReason();

async function call(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const ctx = { progress: () => {}, signal: new AbortController().signal, targets: createResolver() };
  const result = await invokeTool(allTools.find((t) => t.name === name) as AnyTool, args, { ctx });
  if (!result.ok) throw new Error(`${name}: ${result.error.message} ${result.error.next}`);
  return result.output;
}

async function labContainers(name: string): Promise<Array<{ Id: string; State: string }>> {
  return (await connectEngine()).listContainers({ all: true, filters: labFilter(labStateDir(name)) });
}

describe.skipIf(!engine.ok)(`docker lab on a real engine${skipNote(engine)}`, () => {
  const name = "dz";
  let nodes: Array<{ address: string; zone: string }>;
  let dir: string;

  beforeAll(async () => {
    const image = await call("lab_image", {});
    expect(image.ref).toMatch(/^redis-pilot\/redis-host:\d+\.\d+\.\d+-/);
    const up = await call("lab_up", { name, nodes: 6, zones: 3, backend: "docker", nodeTimeoutMs: 2000 });
    nodes = up.nodes as typeof nodes;
    dir = up.dir as string;
  });

  afterAll(async () => {
    if (await loadLab(name)) await labDown(name);
  });

  it("runs one labelled container per node, on the node's zone address", async () => {
    expect(nodes.map((n) => n.zone)).toEqual(["z1", "z2", "z3", "z1", "z2", "z3"]);
    expect(nodes.map((n) => n.address.split(":")[0])).toEqual(["127.0.1.1", "127.0.2.1", "127.0.3.1", "127.0.1.2", "127.0.2.2", "127.0.3.2"]);
    const containers = await labContainers(name);
    expect(containers).toHaveLength(6);
    expect(containers.every((c) => c.State === "running")).toBe(true);
    const status = await call("lab_status", { name });
    expect(status).toMatchObject({ backend: "docker", running: 6 });
  });

  it("creates a cluster across 3 zones with every replica outside its master's zone", async () => {
    const created = await call("cluster_create", { lab: name, replicas: 1 });
    expect(created.ok).toBe(true);
    const check = await call("cluster_check", { lab: name, replicasPerMaster: 1 });
    const findings = check.findings as Array<{ code: string }>;
    expect(findings.map((f) => f.code)).not.toContain("replica_same_zone");
    expect(check.ok).toBe(true);
    expect((await redisCliClusterCheck(nodes[0].address)).ok).toBe(true);

    // Our own reading of placement: masters in 3 zones, each replica in another zone.
    const zoneOf = new Map(nodes.map((n) => [n.address, n.zone]));
    const [host, port] = nodes[0].address.split(":");
    const client = new Redis({ host, port: Number(port), lazyConnect: true });
    try {
      const entries = parseClusterNodes(String(await client.call("CLUSTER", "NODES")));
      const addr = (e: (typeof entries)[number]) => `${e.host}:${e.port}`;
      const masters = entries.filter((e) => e.role === "master");
      expect(new Set(masters.map((m) => zoneOf.get(addr(m))))).toEqual(new Set(["z1", "z2", "z3"]));
      for (const r of entries.filter((e) => e.role === "replica")) {
        const master = entries.find((e) => e.id === r.masterId)!;
        expect(zoneOf.get(addr(r))).not.toBe(zoneOf.get(addr(master)));
      }
    } finally {
      client.disconnect();
    }
  });

  it("kill -9 and start, stop and start, restart: the container goes and comes back on its port", async () => {
    const [host, port] = nodes[3].address.split(":");
    const killed = await call("lab_kill", { lab: name, node: "3", confirm: true });
    expect(killed.node).toMatchObject({ fault: "killed" });
    expect(await pingOutcome(host, Number(port))).toBe("refused");
    expect((await call("lab_status", { name })).nodes).toContainEqual(expect.objectContaining({ address: nodes[3].address, running: false, fault: "killed" }));
    await call("lab_start", { lab: name, node: nodes[3].address });
    expect(await pingOutcome(host, Number(port))).toBe("pong");

    await call("lab_stop", { lab: name, node: "3", confirm: true });
    expect(await pingOutcome(host, Number(port))).toBe("refused");
    await call("lab_start", { lab: name, node: "3" });
    await call("lab_restart", { lab: name, node: "3", confirm: true });
    expect(await pingOutcome(host, Number(port))).toBe("pong");
  });

  it("pause freezes the container (TCP accepted, no reply); unpause thaws it", async () => {
    const [host, port] = nodes[4].address.split(":");
    await call("lab_pause", { lab: name, node: "4" });
    expect(await pingOutcome(host, Number(port))).toBe("connected");
    expect((await labContainers(name)).filter((c) => c.State === "paused")).toHaveLength(1);
    await call("lab_unpause", { lab: name, node: "4" });
    expect(await pingOutcome(host, Number(port))).toBe("pong");
  });

  it.skipIf(noPartitions !== undefined)(`partitions a zone and heals it${noPartitions ? ` (skipped: ${noPartitions})` : ""}`, async () => {
    const [a, b] = [nodes[0], nodes[1]].map((n) => ({ host: n.address.split(":")[0], port: Number(n.address.split(":")[1]) }));
    await call("lab_partition", { lab: name, zone: "z1" });
    expect(await canConnect(b.host, b.port, a.host)).toBe(false);
    expect(await canConnect(a.host, a.port)).toBe(true);
    await call("lab_heal", { lab: name });
    expect(await canConnect(b.host, b.port, a.host)).toBe(true);
  });

  it("builds multi-dc-sentinel on containers: sentinels too are containers, faults reach them, down removes them", async () => {
    const up = await call("lab_up", { name: "dsent", template: "multi-dc-sentinel", backend: "docker" });
    const sentinels = up.sentinels as Array<{ address: string; zone: string }>;
    expect(sentinels.map((x) => x.zone).sort()).toEqual(["z1", "z2", "z3"]);
    expect(await labContainers("dsent")).toHaveLength(9);
    const status = await call("lab_status", { name: "dsent" });
    expect((status.nodes as Array<{ role?: string }>).filter((n) => n.role === "sentinel")).toHaveLength(3);
    const [host, port] = sentinels[0].address.split(":");
    await call("lab_kill", { lab: "dsent", node: "s0", confirm: true });
    expect(await pingOutcome(host, Number(port))).toBe("refused");
    await call("lab_start", { lab: "dsent", node: sentinels[0].address });
    expect(await pingOutcome(host, Number(port))).toBe("pong");
    await call("lab_down", { name: "dsent", confirm: true });
    expect(await labContainers("dsent")).toEqual([]);
  });

  it("removes a crashed run's leftovers (labelled containers whose lab is gone) at the next lab up", async () => {
    const docker = await connectEngine();
    const gone = `${labStateDir("crashed")}-never-saved`;
    const image = (await call("lab_image", {})).ref as string;
    const leftover = await docker.createContainer({ Image: image, Cmd: ["redis-server", "--port", "0"], Labels: nodeLabels({ lab: "crashed", key: gone, hostname: hostname() }, 0, "redis") });
    await call("lab_up", { name: "next", nodes: 1, backend: "docker" });
    await expect(docker.getContainer(leftover.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await call("lab_down", { name: "next", confirm: true });
  });

  it("lab down leaves no container, no iptables rule and no temp dir, even with faults in place", async () => {
    await call("lab_pause", { lab: name, node: "5" });
    await call("lab_kill", { lab: name, node: "2", confirm: true });
    if (!noPartitions) await call("lab_partition", { lab: name, zone: "z2" });
    await call("lab_down", { name, confirm: true });
    expect(await labContainers(name)).toEqual([]);
    if (!noPartitions) expect(await iptablesRules()).not.toContain(chainName(labStateDir(name)));
    expect(existsSync(dir)).toBe(false);
    expect(await loadLab(name)).toBeUndefined();
  });
});

describe("no engine", () => {
  it("lab up --backend docker says what to do in one sentence, and leaves no lab behind", async () => {
    const out = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile("node", [CLI, "lab", "up", "--name", "noengine", "--backend", "docker"], { env: { ...process.env, DOCKER_HOST: "unix:///nonexistent/docker.sock" } }, (err, _stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      ),
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/No Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock/);
    expect(out.stderr).toMatch(/Start Docker .*DOCKER_HOST.*local backend/);
    expect(await loadLab("noengine")).toBeUndefined();
  });

  it("lab down of a docker lab whose engine is gone: refused, and with --force only its state goes", async () => {
    const state: LabState = {
      name: "gone",
      backend: "docker",
      spec: { name: "gone", nodes: 1, cluster: true, zones: 1, backend: "docker", nodeTimeoutMs: 15000, passwordSet: false },
      dir: "/nonexistent/redis-pilot-gone-x",
      createdAt: new Date().toISOString(),
      nodes: [{ index: 0, host: "127.0.1.1", port: 7999, zone: "z1", containerId: "0123456789ab", dir: "/nonexistent/redis-pilot-gone-x/node-0" }],
    };
    await reserveLab("gone");
    await saveLab(state);
    const dockerHost = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = "unix:///nonexistent/docker.sock";
    try {
      await expect(labDown("gone")).rejects.toMatchObject({ code: "docker_unavailable" });
      expect(await loadLab("gone")).toBeDefined();
      const report = await labDown("gone", { force: true });
      expect(report).toMatchObject({ stateRemoved: true, dirRemoved: false, nodes: [{ address: "127.0.1.1:7999", outcome: "not_stopped", detail: expect.stringMatching(/could not be checked or removed: No Docker engine answers/) }] });
      expect(await loadLab("gone")).toBeUndefined();
    } finally {
      if (dockerHost === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = dockerHost;
    }
  });
});
