// cluster create on real redis-server processes: refusals change nothing (compared
// before/after), and built clusters pass our checks and redis-cli --cluster check.
import { Redis } from "ioredis";
import { uniformAccess } from "../src/redis/node-access.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";
import { labUp } from "../src/lab/index.js";
import { createCluster } from "../src/ops/cluster-create/index.js";
import { parseClusterNodes } from "../src/redis/parse-cluster-nodes.js";
import { formatAddress } from "../src/redis/address.js";
import type { LabState } from "../src/lab/types.js";

useTempLabHome();

const clients: Redis[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));

function client(address: string, password?: string): Redis {
  const i = address.lastIndexOf(":");
  const c = new Redis({ host: address.slice(0, i), port: Number(address.slice(i + 1)), password, lazyConnect: false, maxRetriesPerRequest: 1 });
  clients.push(c);
  return c;
}

const addressesOf = (lab: LabState) => lab.nodes.map((n) => formatAddress(n));
const noop = { progress: () => {} };

// An empty cluster node serves no slot, so writing a key takes DEBUG (allowed from 127.0.0.1 only).
const putKey = (c: Redis) => c.call("DEBUG", "POPULATE", "1");
const removeKey = (c: Redis) => c.flushall();

async function configOf(c: Redis): Promise<Record<string, string>> {
  const pairs = (await c.call("CONFIG", "GET", "cluster-node-timeout", "repl-diskless-sync-delay", "cluster-replica-no-failover")) as string[];
  return Object.fromEntries(pairs.flatMap((_, i) => (i % 2 ? [] : [[pairs[i], pairs[i + 1]]])));
}

/** Everything a refused create must leave as it was (cluster_size changes by itself 2 s after start). */
async function snapshot(addresses: string[], password?: string): Promise<unknown[]> {
  return Promise.all(
    addresses.map(async (a) => {
      const c = client(a, password);
      const enabled = String(await c.info("cluster")).includes("cluster_enabled:1");
      const nodes = enabled ? parseClusterNodes(String(await c.call("CLUSTER", "NODES"))).map((e) => ({ id: e.id, flags: e.flags, slots: e.slots, epoch: e.configEpoch })) : [];
      const info = enabled ? String(await c.call("CLUSTER", "INFO")).replace(/cluster_stats_messages.*\r\n|cluster_size:.*\r\n/g, "") : "";
      return { nodes, info, dbsize: await c.dbsize(), config: await configOf(c) };
    }),
  );
}

/** Each node's own CLUSTER NODES: masters with slots and replicas with a master. */
async function rolesSeenBy(address: string, password?: string) {
  const entries = parseClusterNodes(String(await client(address, password).call("CLUSTER", "NODES")));
  return {
    masters: entries.filter((e) => e.role === "master" && e.slots.length > 0).length,
    replicas: entries.filter((e) => e.role === "replica" && e.masterId).length,
  };
}

describe("refusals change nothing", () => {
  let lab: LabState;
  beforeAll(async () => {
    lab = await labUp({ name: "refuse", nodes: 6, config: { "enable-debug-command": "local" } });
  });

  const cases: [string, (a: string[]) => Promise<{ addresses: string[]; replicas: number; masters?: number; password?: string }>, string][] = [
    ["too few nodes for the replicas", async (a) => ({ addresses: a.slice(0, 5), replicas: 1 }), "too_few_nodes"],
    ["a node listed twice", async (a) => ({ addresses: [...a.slice(0, 5), a[0]], replicas: 1 }), "duplicate_node"],
    ["a node holding a key", async (a) => (await putKey(client(a[3])), { addresses: a, replicas: 1 }), "not_empty"],
    ["an unreachable node", async (a) => ({ addresses: [...a.slice(0, 5), "127.0.0.1:1"], replicas: 1 }), "unreachable"],
  ];

  // A dry run runs the same read-only preflight, so it refuses exactly what the real run refuses.
  const modes = [["", false], [" (dry run)", true]] as const;
  it.each(cases.flatMap(([name, arrange, code]) => modes.map(([label, dryRun]) => [`${name}${label}`, arrange, code, dryRun] as const)))(
    "refuses %s",
    async (_, arrange, code, dryRun) => {
      const addresses = addressesOf(lab);
      const req = await arrange(addresses);
      const before = await snapshot(addresses);
      await expect(createCluster({ access: uniformAccess(), ...req, dryRun }, noop)).rejects.toMatchObject({ code });
      expect(await snapshot(addresses)).toEqual(before);
      await removeKey(client(addresses[3]));
    },
  );

  it("a dry run on good nodes returns the plan and the node ids, changing nothing", async () => {
    const addresses = addressesOf(lab);
    const before = await snapshot(addresses);
    const steps: string[] = [];
    const r = await createCluster({ access: uniformAccess(), addresses, replicas: 1, dryRun: true }, { progress: (e) => steps.push(e.step) });
    expect(r.applied).toBe(false);
    expect(r.plan.masters).toHaveLength(3);
    expect(r.nodes.map((n) => n.address)).toEqual(addresses);
    expect(r.nodes.every((n) => /^[0-9a-f]{40}$/.test(n.id))).toBe(true);
    expect(steps).toEqual(["preflight"]);
    expect(await snapshot(addresses)).toEqual(before);
  });

  it.each(modes)("refuses a node that already knows another node%s", async (_, dryRun) => {
    const addresses = addressesOf(lab);
    const [h, p] = [addresses[5].split(":")[0], addresses[5].split(":")[1]];
    await client(addresses[4]).call("CLUSTER", "MEET", h, p);
    await new Promise((r) => setTimeout(r, 200));
    const before = await snapshot(addresses.slice(0, 4));
    await expect(createCluster({ access: uniformAccess(), addresses, replicas: 1, dryRun }, noop)).rejects.toMatchObject({ code: "not_empty" });
    expect(await snapshot(addresses.slice(0, 4))).toEqual(before);
  });

  it.each(modes)("refuses a node that is not cluster-enabled%s", async (_, dryRun) => {
    const plain = await labUp({ name: `plain${dryRun ? "-dry" : ""}`, nodes: 1, cluster: false });
    const addresses = [...addressesOf(lab).slice(0, 3), ...addressesOf(plain)];
    const before = await snapshot(addresses);
    await expect(createCluster({ access: uniformAccess(), addresses, replicas: 0, dryRun }, noop)).rejects.toMatchObject({ code: "not_cluster_enabled" });
    expect(await snapshot(addresses)).toEqual(before);
  });
});

describe("wrong password", () => {
  it("is refused with auth_failed and nothing changes", async () => {
    const lab = await labUp({ name: "auth", nodes: 3, password: "s3cret-pass" });
    const addresses = addressesOf(lab);
    const before = await snapshot(addresses, "s3cret-pass");
    const err = await createCluster({ addresses, replicas: 0, access: uniformAccess({ password: "wrong" }) }, noop).catch((e) => e);
    expect(err).toMatchObject({ code: "auth_failed" });
    expect(String(err.message)).not.toContain("wrong");
    // No password at all: the server answers NOAUTH to the preflight's first command.
    expect(await createCluster({ access: uniformAccess(), addresses, replicas: 0 }, noop).catch((e) => e)).toMatchObject({ code: "auth_failed" });
    expect(await snapshot(addresses, "s3cret-pass")).toEqual(before);
    // The right password works, and redis-cli agrees.
    await createCluster({ addresses, replicas: 0, access: uniformAccess({ password: "s3cret-pass" }) }, noop);
    expect((await redisCliClusterCheck(addresses[0], "s3cret-pass")).ok).toBe(true);
  });
});

describe("masterauth", () => {
  it("refuses a replica that could not authenticate to its password-protected master, changing nothing", async () => {
    const lab = await labUp({ name: "auth2", nodes: 6, password: "s3cret-pass" });
    const addresses = addressesOf(lab);
    const plan = (await createCluster({ addresses, replicas: 1, dryRun: true, access: uniformAccess({ password: "s3cret-pass" }) }, noop)).plan;
    const replica = Object.keys(plan.replicaOf)[0];
    await client(replica, "s3cret-pass").call("CONFIG", "SET", "masterauth", "");
    const before = await snapshot(addresses, "s3cret-pass");
    for (const dryRun of [true, false]) {
      const err = await createCluster({ addresses, replicas: 1, dryRun, access: uniformAccess({ password: "s3cret-pass" }) }, noop).catch((e) => e);
      expect(err).toMatchObject({ code: "masterauth_missing" });
      expect(String(err.message)).not.toContain("s3cret");
    }
    expect(await snapshot(addresses, "s3cret-pass")).toEqual(before);
  });
});

describe("build settings are restored even when the build fails", () => {
  const ORIGINAL = { "cluster-node-timeout": "15000", "repl-diskless-sync-delay": "5", "cluster-replica-no-failover": "no" };

  it("a build that times out restores every node's settings", async () => {
    const addresses = addressesOf(await labUp({ name: "restore-timeout", nodes: 3 }));
    const before = await Promise.all(addresses.map((a) => configOf(client(a))));
    expect(before).toEqual(addresses.map(() => ORIGINAL));
    const steps: string[] = [];
    // 1 ms: the first poll is already past the deadline, with the build settings in place.
    const err = await createCluster({ access: uniformAccess(), addresses, replicas: 0, timeoutMs: 1 }, { progress: (e) => steps.push(e.step) }).catch((e) => e);
    expect(err).toMatchObject({ code: "timeout" });
    expect(steps.slice(0, 3)).toEqual(["preflight", "addslots", "meet"]);
    expect(steps.at(-1)).toBe("restore");
    expect(await Promise.all(addresses.map((a) => configOf(client(a))))).toEqual(before);
  });

  it("a node lost mid-build: the others are restored, and the error names the node it could not restore", async () => {
    const lab = await labUp({ name: "restore-lost", nodes: 3 });
    const addresses = addressesOf(lab);
    const victim = lab.nodes[1];
    const victimAddress = formatAddress(victim);
    // Killed once the build settings are applied everywhere (the "addslots" step).
    const progress = (e: { step: string }) => e.step === "addslots" && process.kill(victim.pid!, "SIGKILL");
    const err = await createCluster({ access: uniformAccess(), addresses, replicas: 0, timeoutMs: 2000 }, { progress }).catch((e) => e);
    expect(err).toMatchObject({ code: "settings_not_restored" });
    expect(err.message).toContain(victimAddress);
    expect(err.details).toEqual([expect.objectContaining({ severity: "error", code: "settings_unverified", node: victimAddress })]);
    for (const a of addresses.filter((x) => x !== victimAddress)) expect(await configOf(client(a))).toEqual(ORIGINAL);
  });
});

describe.each([
  [6, 3, 3],
  [12, 6, 6],
])("create on %i nodes", (n, masters, replicas) => {
  it(`builds ${masters} masters + ${replicas} replicas, verified, and redis-cli --cluster check passes`, async () => {
    const lab = await labUp({ name: `create-${n}`, nodes: n, zones: 3 });
    const addresses = addressesOf(lab);
    const zones = Object.fromEntries(lab.nodes.map((x) => [formatAddress(x), x.zone]));
    const events: string[] = [];
    const counts: [number, number][] = [];
    const r = await createCluster({ access: uniformAccess(), addresses, replicas: 1, zones }, { progress: (e) => (events.push(e.step), counts.push([e.progress!, e.total!])) });
    expect(counts.at(-1)).toEqual([10 + replicas, 10 + replicas]);
    expect(counts.map(([p]) => p)).toEqual(counts.map((_, i) => i + 1));
    expect(r.applied).toBe(true);
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(events).toEqual(expect.arrayContaining(["preflight", "addslots", "meet", "replicate", "wait", "restore", "verify"]));
    const check = await redisCliClusterCheck(addresses[0]);
    expect(check.ok, check.output).toBe(true);
    for (const a of addresses) expect(await rolesSeenBy(a)).toEqual({ masters, replicas });
    // Build settings are back to the lab's own.
    for (const a of addresses) {
      expect(await configOf(client(a))).toEqual({ "cluster-node-timeout": "15000", "repl-diskless-sync-delay": "5", "cluster-replica-no-failover": "no" });
    }
    console.error(`create ${n} nodes: ${JSON.stringify(r.timings)}`);
  });
});
