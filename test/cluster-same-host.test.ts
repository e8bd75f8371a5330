/**
 * One host, written two ways: three redis-server processes on 127.0.0.1 (one of them
 * given as "localhost:PORT"), two on 127.0.0.2, one on 127.0.0.3. By the strings as
 * typed, "localhost" is a fourth host and the plan would put a replica beside its master
 * (test/cluster-create-plan.test.ts pins that). Planned on the IPs preflight reached, no
 * replica shares its master's host; and when one is moved there by hand, the check flags
 * replica_same_host however the nodes were named.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uniformAccess } from "../src/redis/node-access.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCluster } from "../src/checks/cluster-checks.js";
import type { Finding } from "../src/checks/finding.js";
import { startNode, stopNode } from "../src/lab/node-process.js";
import { PortAllocator } from "../src/lab/ports.js";
import { findRedisServer } from "../src/lab/redis-binary.js";
import { createCluster } from "../src/ops/cluster-create/index.js";
import { NodePool } from "../src/redis/connection.js";
import { readClusterView } from "../src/topology/read-cluster-view.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";

const HOSTS = ["127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2", "127.0.0.3"];
const dir = mkdtempSync(join(tmpdir(), "redis-pilot-samehost-"));
const started: { pid: number; dir: string }[] = [];
const pool = new NodePool();
let typed: string[];
const ipOf = (address: string) => HOSTS[typed.indexOf(address)];

beforeAll(async () => {
  const bin = findRedisServer();
  const allocator = new PortAllocator();
  const nodes = await Promise.all(
    HOSTS.map(async (host, i) => {
      const nodeDir = join(dir, `node-${i}`);
      await mkdir(nodeDir);
      const { port, pid } = await startNode({ bin, host, dir: nodeDir, allocator, conf: { cluster: true, nodeTimeoutMs: 15000 } });
      started.push({ pid, dir: nodeDir });
      return `${i === 1 ? "localhost" : host}:${port}`;
    }),
  );
  typed = nodes;
});

afterAll(async () => {
  await pool.close();
  await Promise.all(started.map((n) => stopNode(n.pid, n.dir)));
  rmSync(dir, { recursive: true, force: true });
});

describe("anti-affinity by the IP a node is reached at", () => {
  it("create places no replica on its master's host, although one node is named localhost", async () => {
    const r = await createCluster({ access: uniformAccess(), addresses: typed, replicas: 1 }, { progress: () => {} });
    expect(r.plan.warnings).toEqual([]);
    expect(new Set(r.plan.masters.map((m) => ipOf(m.address))).size).toBe(3);
    for (const [replica, master] of Object.entries(r.plan.replicaOf)) expect(ipOf(replica)).not.toBe(ipOf(master));
    expect(r.findings.map((f) => f.code)).not.toContain("replica_same_host");
    const check = await redisCliClusterCheck(typed[0]);
    expect(check.ok, check.output).toBe(true);
  });

  it("a replica moved onto its new master's host is flagged, with the nodes read as typed", async () => {
    const view = await readClusterView(typed, { pool, discover: false });
    const onOne = view.nodes.filter((n) => n.ip === "127.0.0.1");
    expect(onOne.map((n) => n.address).sort()).toEqual(typed.filter((a) => ipOf(a) === "127.0.0.1").sort());
    const master = onOne.find((n) => n.self.role === "master")!;
    const replica = onOne.find((n) => n.self.role === "replica")!;
    await (await pool.get(replica.address)).call("CLUSTER", "REPLICATE", master.self.id);
    let found: Finding | undefined;
    for (let i = 0; i < 200 && !found; i++) {
      const findings = checkCluster(await readClusterView(typed, { pool, discover: false }));
      found = findings.find((f) => f.code === "replica_same_host");
      if (!found) await new Promise((r) => setTimeout(r, 25));
    }
    expect(found).toMatchObject({ severity: "warning", node: replica.address });
    expect(found!.message).toBe(`Replica ${replica.address} is on the same host (127.0.0.1) as its master ${master.address}.`);
  });
});
