// The multi-datacenter templates on real redis-server and redis-sentinel processes:
// multi-dc and geo build a cluster whose masters sit one per zone and whose replicas sit
// outside their master's zone (our checks and redis-cli --cluster check agree);
// multi-dc-sentinel puts the master and a local replica in zone 1, a replica in each
// other zone and a sentinel per zone. `lab status NAME --json` lists every member with
// its address and zone.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { checkCluster } from "../src/checks/cluster-checks.js";
import { checkSentinels } from "../src/checks/sentinel-checks.js";
import { labDown, labUp, listLabs, specFor } from "../src/lab/index.js";
import type { LabState } from "../src/lab/types.js";
import { formatAddress } from "../src/redis/address.js";
import { NodePool } from "../src/redis/connection.js";
import { readClusterView } from "../src/topology/read-cluster-view.js";
import { readSentinelView } from "../src/topology/sentinel-view.js";
import { CLI } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";

const home = useTempLabHome();
const run = promisify(execFile);

afterAll(async () => {
  for (const lab of await listLabs()) await labDown(lab.name);
});

/** Masters per zone and the zones of each master's replicas, read back from the servers. */
async function placementOf(state: LabState) {
  const zones = Object.fromEntries(state.nodes.map((n) => [formatAddress(n), n.zone]));
  const pool = new NodePool();
  try {
    const view = await readClusterView(state.nodes.map((n) => formatAddress(n)), { pool, zones });
    const entries = view.nodes[0].peers;
    const addr = (e: (typeof entries)[number]) => `${e.host}:${e.port}`;
    const masters = entries.filter((e) => e.role === "master" && e.slots.length > 0);
    return {
      findings: checkCluster(view, {}),
      masterZones: masters.map((m) => zones[addr(m)]).sort(),
      replicaInMasterZone: entries.filter((e) => e.role === "replica" && zones[addr(e)] === zones[addr(entries.find((m) => m.id === e.masterId)!)]).length,
      replicaZonesPerMaster: masters.map((m) => entries.filter((e) => e.masterId === m.id).map((e) => zones[addr(e)]).sort()),
    };
  } finally {
    await pool.close();
  }
}

describe("zoned cluster templates", () => {
  it("multi-dc: 3 zones, one master each, each master's 2 replicas in the two other zones", async () => {
    expect(specFor({ name: "x", template: "multi-dc" })).toMatchObject({ nodes: 9, zones: 3, cluster: true });
    expect(specFor({ name: "x", template: "multi-dc", replicas: 1 })).toMatchObject({ nodes: 6 });
    const state = await labUp({ name: "mdc", template: "multi-dc" });
    const p = await placementOf(state);
    expect(p.masterZones).toEqual(["z1", "z2", "z3"]);
    expect(p.replicaInMasterZone).toBe(0);
    expect(p.replicaZonesPerMaster.map((zs) => new Set(zs).size)).toEqual([2, 2, 2]);
    expect(p.findings.filter((f) => f.severity !== "info")).toEqual([]);
    expect((await redisCliClusterCheck(formatAddress(state.nodes[0]))).ok).toBe(true);

    // lab status NAME --json through the built CLI: every node with its address and zone.
    const { stdout } = await run("node", [CLI, "lab", "status", "mdc", "--json"], { env: { ...process.env, REDIS_PILOT_HOME: home } });
    const status = JSON.parse(stdout) as { nodes: Array<{ address: string; zone: string; role: string }> };
    expect(status.nodes.map((n) => [n.address, n.zone])).toEqual(state.nodes.map((n) => [formatAddress(n), n.zone]));
    expect(status.nodes.filter((n) => n.role === "master")).toHaveLength(3);
    await labDown("mdc");
  });

  it("geo: 5 zones, one master each, every replica in another zone", async () => {
    const state = await labUp({ name: "geo", template: "geo" });
    expect(state.nodes).toHaveLength(10);
    const p = await placementOf(state);
    expect(p.masterZones).toEqual(["z1", "z2", "z3", "z4", "z5"]);
    expect(p.replicaInMasterZone).toBe(0);
    expect(p.findings.filter((f) => f.severity !== "info")).toEqual([]);
    expect((await redisCliClusterCheck(formatAddress(state.nodes[1]))).ok).toBe(true);
    await labDown("geo");
  });
});

describe("multi-dc-sentinel", () => {
  it("master and a local replica in z1, a replica in z2 and z3, a sentinel per zone, verified", async () => {
    const state = await labUp({ name: "mdcs", template: "multi-dc-sentinel" });
    const zoneOf = Object.fromEntries([...state.nodes, ...state.sentinels!].map((n) => [formatAddress(n), n.zone]));
    expect(zoneOf[state.topology!.master!]).toBe("z1");
    expect(state.topology!.replicas!.map((r) => zoneOf[r]).sort()).toEqual(["z1", "z2", "z3"]);
    expect(state.sentinels!.map((s) => s.zone).sort()).toEqual(["z1", "z2", "z3"]);
    const pool = new NodePool();
    try {
      const view = await readSentinelView(state.sentinels!.map((s) => formatAddress(s)), { pool, name: "mymaster" });
      expect(checkSentinels(view, "mymaster").filter((f) => f.severity === "error")).toEqual([]);
    } finally {
      await pool.close();
    }
    await labDown("mdcs");
  });
});
