// The checks on real redis-server processes: a clean cluster passes ours and redis-cli's
// check; then one fault at a time (open slot, uncovered slot, misplaced replica leaving a
// master without one, a silent replication link, a master killed with kill -9) must be
// flagged, including the faults `redis-cli --cluster check` passes silently.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";
import { labUp } from "../src/lab/index.js";
import type { LabState } from "../src/lab/types.js";
import { createCluster } from "../src/ops/cluster-create/index.js";
import { formatAddress } from "../src/redis/address.js";
import { NodePool, connect } from "../src/redis/connection.js";
import { uniformAccess } from "../src/redis/node-access.js";
import { checkCluster } from "../src/checks/cluster-checks.js";
import type { Finding } from "../src/checks/finding.js";
import { readClusterView } from "../src/topology/read-cluster-view.js";
import type { ClusterView } from "../src/topology/types.js";
import { invokeTool } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { clusterCheck } from "../tools/cluster/cluster-check.js";
import { clusterInfo } from "../tools/cluster/cluster-info.js";
import type { AnyTool } from "../src/registry/tool.js";

useTempLabHome();

const PASSWORD = "checks-live-pw";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("faults on a 3+3 cluster over two zones", () => {
  let lab: LabState;
  let pool: NodePool;
  let addresses: string[];
  let zones: Record<string, string>;

  beforeAll(async () => {
    lab = await labUp({ name: "faults", nodes: 6, zones: 2, nodeTimeoutMs: 1000, password: PASSWORD });
    addresses = lab.nodes.map((n) => formatAddress(n));
    zones = Object.fromEntries(lab.nodes.map((n) => [formatAddress(n), n.zone]));
    await createCluster({ addresses, replicas: 1, access: uniformAccess({ password: PASSWORD }), zones }, { progress: () => {} });
    pool = new NodePool({ password: PASSWORD });
  });
  afterAll(() => pool?.close());

  // Every lab node as a seed, so the read survives the node killed below.
  const read = () => readClusterView(addresses, { pool, zones });
  const node = (address: string) => pool.get(address);

  /** Re-reads until `done(findings)` holds; returns the last view and findings. */
  async function waitFor(done: (f: Finding[]) => boolean, timeoutMs = 8000): Promise<{ view: ClusterView; findings: Finding[] }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await read();
      const findings = checkCluster(view, { replicasPerMaster: 1, expectedNodes: 6 });
      if (done(findings) || Date.now() > deadline) return { view, findings };
      await sleep(50);
    }
  }
  const codes = (f: Finding[]) => f.map((x) => x.code);
  const clean = (f: Finding[]) => f.length === 0;

  /** The master that owns `slot`, read from the live view. */
  async function ownerOf(slot: number) {
    const view = await read();
    const owner = view.nodes.find((n) => n.self.role === "master" && n.self.slots.some((r) => r.start <= slot && slot <= r.end))!;
    return owner;
  }

  it("the clean cluster: no findings, and redis-cli --cluster check agrees", async () => {
    const { view, findings } = await waitFor(clean);
    expect(findings).toEqual([]);
    expect(view.nodes).toHaveLength(6);
    expect(view.unreachable).toEqual([]);
    expect(view.nodes.every((n) => n.zone === zones[n.address])).toBe(true);
    expect((await redisCliClusterCheck(addresses[0], PASSWORD)).ok).toBe(true);
  });

  it("cluster_check and cluster_info tools read the lab by name", async () => {
    const ctx = { progress: () => {}, signal: new AbortController().signal, targets: createResolver() };
    const check = await invokeTool(clusterCheck as unknown as AnyTool, { lab: "faults", replicasPerMaster: 1 }, { ctx });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.output).toMatchObject({ ok: true, counts: { nodes: 6, masters: 3, replicas: 3, slotsCovered: 16384, unreachable: 0 }, findings: [] });
    expect(check.summary).toMatch(/^OK: 6 nodes \(3 masters, 3 replicas\), 16384\/16384 slots covered, 0 errors, 0 warnings\.$/);

    const info = await invokeTool(clusterInfo as unknown as AnyTool, { nodes: [addresses[1]] }, { ctx });
    expect(info.ok).toBe(true);
    if (!info.ok) return;
    const rows = info.output.nodes as { role: string; slotCount: number; zone?: string; linkStatus?: string; master?: string }[];
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => r.role === "master").map((r) => r.slotCount).sort()).toEqual([5461, 5461, 5462]);
    expect(rows.filter((r) => r.role === "replica").every((r) => r.linkStatus === "up" && r.master)).toBe(true);
    expect(rows.every((r) => r.zone === "z1" || r.zone === "z2")).toBe(true);
    expect(info.summary.split("\n")[0]).toBe("6 nodes (3 masters, 3 replicas), 16384/16384 slots covered, 0 keys.");
  });

  it("flags an open slot (SETSLOT MIGRATING) that redis-cli would only warn about", async () => {
    const owner = await ownerOf(100);
    const target = (await read()).nodes.find((n) => n.self.role === "master" && n !== owner)!;
    await (await node(owner.address)).call("CLUSTER", "SETSLOT", "100", "MIGRATING", target.self.id);
    const { findings } = await waitFor((f) => codes(f).includes("open_slot"));
    const open = findings.find((f) => f.code === "open_slot")!;
    expect(open).toMatchObject({ severity: "error", node: owner.address });
    expect(open.message).toBe(`Slot 100 is open: migrating on ${owner.address} to ${target.address} (${target.self.id.slice(0, 8)}).`);
    await (await node(owner.address)).call("CLUSTER", "SETSLOT", "100", "STABLE");
    expect((await waitFor(clean)).findings).toEqual([]);
  });

  it("flags an uncovered slot (CLUSTER DELSLOTS on its owner)", async () => {
    const owner = await ownerOf(16383);
    await (await node(owner.address)).call("CLUSTER", "DELSLOTS", "16383");
    const { findings } = await waitFor((f) => codes(f).includes("slots_uncovered"));
    const uncovered = findings.find((f) => f.code === "slots_uncovered")!;
    expect(uncovered.message).toMatch(/^1 slot not assigned to any master: 16383 \(seen by /);
    expect(uncovered.message).toContain(owner.address);
    await (await node(owner.address)).call("CLUSTER", "ADDSLOTS", "16383");
    expect((await waitFor(clean)).findings).toEqual([]);
  });

  it("flags a master left without replica and a replica moved into its new master's zone; redis-cli passes both", async () => {
    const view = await read();
    const replica = view.nodes.find((n) => n.self.role === "replica")!;
    const oldMaster = view.nodes.find((n) => n.self.id === replica.self.masterId)!;
    const sameZoneMaster = view.nodes.find((n) => n.self.role === "master" && n.zone === replica.zone && n !== oldMaster)!;
    expect(oldMaster.zone).not.toBe(replica.zone); // the create plan spread them
    await (await node(replica.address)).call("CLUSTER", "REPLICATE", sameZoneMaster.self.id);
    const { findings } = await waitFor((f) => codes(f).includes("replicas_missing") && codes(f).includes("replica_same_zone"));
    expect(findings.find((f) => f.code === "replicas_missing")).toMatchObject({ node: oldMaster.address, severity: "error" });
    expect(findings.find((f) => f.code === "replica_same_zone")?.message).toBe(
      `Replica ${replica.address} is in zone ${replica.zone} with its master ${sameZoneMaster.address}: losing ${replica.zone} loses both.`,
    );
    // Without a wanted count, a master with no replica is still a warning.
    const fresh = checkCluster(await read());
    expect(fresh.find((f) => f.code === "master_without_replica")).toMatchObject({ node: oldMaster.address, severity: "warning" });
    expect((await redisCliClusterCheck(addresses[0], PASSWORD)).ok).toBe(true);
  });

  it("flags a replica whose link is up but silent (master_last_io_seconds_ago)", async () => {
    // A replica past its sync (the one moved above may still wait out repl-diskless-sync-delay).
    const replica = (await read()).nodes.find((n) => n.replication.masterLinkStatus === "up" && n.replication.masterLastIoSecondsAgo! >= 0)!;
    const master = await node(`${replica.replication.masterHost}:${replica.replication.masterPort}`);
    const [, period] = (await master.call("CONFIG", "GET", "repl-ping-replica-period")) as string[];
    // With no writes, the master's pings are all a replica hears: space them out, and judge with a 1 s limit.
    await master.call("CONFIG", "SET", "repl-ping-replica-period", "60");
    try {
      const deadline = Date.now() + 15_000;
      let silent: Finding | undefined;
      while (!silent && Date.now() < deadline) {
        silent = checkCluster(await read(), { maxSilentSeconds: 1 }).find((f) => f.code === "replica_link_silent" && f.node === replica.address);
        if (!silent) await sleep(100);
      }
      expect(silent).toMatchObject({ severity: "warning" });
      expect(silent!.message).toMatch(new RegExp(`^Replica ${replica.address.replace(/\./g, "\\.")}: link to master .* is up but silent for \\d+ s \\(limit 1 s\\)\\.$`));
    } finally {
      await master.call("CONFIG", "SET", "repl-ping-replica-period", period);
    }
  });

  it("flags a master killed with kill -9, and still sees its replica in the same zone by the zones map", async () => {
    const view = await read();
    // The replica the placement test moved into its master's zone.
    const replica = view.nodes.find((n) => n.self.role === "replica" && view.nodes.find((m) => m.self.id === n.self.masterId)?.zone === n.zone)!;
    const victim = view.nodes.find((n) => n.self.id === replica.self.masterId)!;
    // No failover: the dead master's replicas must stay its replicas for the placement finding.
    for (const r of view.nodes.filter((n) => n.self.masterId === victim.self.id)) await (await node(r.address)).call("CONFIG", "SET", "cluster-replica-no-failover", "yes");
    const pid = lab.nodes.find((n) => formatAddress(n) === victim.address)!.pid!;
    process.kill(pid, "SIGKILL");
    pool.forget(victim.address);
    const { findings } = await waitFor((f) => codes(f).some((c) => c === "node_failed" || c === "node_pfail"));
    expect(findings.find((f) => f.code === "node_unreachable")).toMatchObject({ node: victim.address });
    const flagged = findings.find((f) => f.code === "node_failed" || f.code === "node_pfail")!;
    expect(flagged.node).toBe(victim.address);
    expect(flagged.message).toContain(victim.self.id.slice(0, 8));
    expect(findings.find((f) => f.code === "replica_same_zone")?.message).toBe(
      `Replica ${replica.address} is in zone ${replica.zone} with its master ${victim.address}: losing ${replica.zone} loses both.`,
    );
  });
});

describe("reading servers that refuse", () => {
  let lab: LabState;
  let address: string;
  beforeAll(async () => {
    lab = await labUp({ name: "refusing", nodes: 1, cluster: false, password: PASSWORD });
    address = formatAddress(lab.nodes[0]);
  });

  it.each([
    ["a wrong password", { password: "nope" }, "auth_failed"],
    ["no password", {}, "auth_failed"],
  ])("%s is an AuthError", async (_name, connection, code) => {
    await expect(connect(address, connection)).rejects.toMatchObject({ code, name: "AuthError" });
    await expect(readClusterView([address], { access: uniformAccess(connection) })).rejects.toMatchObject({ code });
  });

  it("a closed port is an UnreachableError", async () => {
    await expect(connect("127.0.0.1:1")).rejects.toMatchObject({ code: "unreachable", message: "Cannot reach 127.0.0.1:1: connection refused." });
  });

  it("a node without cluster support is refused with NotClusterEnabledError", async () => {
    await expect(readClusterView([address], { access: uniformAccess({ password: PASSWORD }) })).rejects.toMatchObject({ code: "not_cluster_enabled" });
  });

  it("the pool reuses one connection per address and replaces a closed one", async () => {
    const pool = new NodePool({ password: PASSWORD });
    try {
      const a = await pool.get(address);
      expect(await pool.get(address)).toBe(a);
      a.disconnect();
      await sleep(10);
      const b = await pool.get(address);
      expect(b).not.toBe(a);
      expect(await b.ping()).toBe("PONG");
    } finally {
      await pool.close();
    }
  });

  it("the password never shows in errors", async () => {
    const err = await connect(address, { password: "secret-in-test" }).catch((e: Error) => e);
    expect(JSON.stringify(err)).not.toContain("secret-in-test");
    expect(String((err as Error).message)).not.toContain("secret-in-test");
  });
});
