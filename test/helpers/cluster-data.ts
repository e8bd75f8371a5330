/**
 * Clusters with known data for the migration tests: a lab, a cluster built on part of its
 * nodes, and N keys written with known values straight to their owners; then the full
 * comparison (every key on exactly one master, with its value) and a snapshot of what a
 * refused operation must leave unchanged.
 */
import { Redis } from "ioredis";
import { labUp } from "../../src/lab/index.js";
import type { LabState } from "../../src/lab/types.js";
import { createCluster } from "../../src/ops/cluster-create/index.js";
import { formatAddress } from "../../src/redis/address.js";
import { uniformAccess } from "../../src/redis/node-access.js";
import { parseClusterNodes } from "../../src/redis/parse-cluster-nodes.js";
import { keySlot } from "../../src/redis/slots.js";

export interface DataCluster {
  lab: LabState;
  /** Every lab node; the cluster uses the first `members`. */
  addresses: string[];
  members: string[];
  expected: Map<string, string>;
  client(address: string): Redis;
  close(): void;
}

export const valueOf = (i: number, size = 40) => `v${i}:`.padEnd(size, "x");

export async function dataCluster(name: string, o: { nodes: number; members?: number; replicas: number; keys: number; nodeTimeoutMs?: number; password?: string; zones?: number }): Promise<DataCluster> {
  const lab = await labUp({ name, nodes: o.nodes, nodeTimeoutMs: o.nodeTimeoutMs ?? 5000, password: o.password, zones: o.zones });
  const addresses = lab.nodes.map((n) => formatAddress(n));
  const members = addresses.slice(0, o.members ?? o.nodes);
  const zones = Object.fromEntries(lab.nodes.map((n) => [formatAddress(n), n.zone]));
  await createCluster({ addresses: members, replicas: o.replicas, access: uniformAccess({ password: o.password }), zones }, { progress: () => {} });
  const clients = new Map<string, Redis>();
  const client = (address: string) => {
    let c = clients.get(address);
    if (!c) {
      const i = address.lastIndexOf(":");
      c = new Redis({ host: address.slice(0, i), port: Number(address.slice(i + 1)), password: o.password, maxRetriesPerRequest: 1 });
      clients.set(address, c);
    }
    return c;
  };
  const expected = new Map<string, string>();
  for (let i = 0; i < o.keys; i++) expected.set(`key:${i}`, valueOf(i));
  await writeKeys(members, expected, client);
  return { lab, addresses, members, expected, client, close: () => clients.forEach((c) => c.disconnect()) };
}

/** slot -> master address, from one node's CLUSTER NODES. */
export async function ownersOf(address: string, client: (a: string) => Redis): Promise<string[]> {
  const owner = new Array<string>(16384).fill("");
  for (const e of parseClusterNodes(String(await client(address).call("CLUSTER", "NODES")))) {
    if (e.role === "master") for (const r of e.slots) owner.fill(formatAddress({ host: e.host, port: e.port }), r.start, r.end + 1);
  }
  return owner;
}

export async function writeKeys(members: string[], data: Map<string, string>, client: (a: string) => Redis): Promise<void> {
  const owner = await ownersOf(members[0], client);
  const pipes = new Map<string, ReturnType<Redis["pipeline"]>>();
  for (const [k, v] of data) {
    const a = owner[keySlot(k)];
    if (!pipes.has(a)) pipes.set(a, client(a).pipeline());
    pipes.get(a)!.set(k, v);
  }
  await Promise.all([...pipes.values()].map((p) => p.exec()));
}

/**
 * Every key on every master (SCAN + GET): each expected key exactly once, with its value,
 * on the master that owns its slot, and nothing else. Returns a list of problems (empty = all good).
 */
export async function compareKeys(members: string[], expected: Map<string, string>, client: (a: string) => Redis): Promise<string[]> {
  const owner = await ownersOf(members[0], client);
  const masters = [...new Set(owner.filter(Boolean))];
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const m of masters) {
    let cursor = "0";
    do {
      const [next, keys] = (await client(m).scan(cursor, "COUNT", 1000)) as [string, string[]];
      cursor = next;
      if (!keys.length) continue;
      const p = client(m).pipeline();
      for (const k of keys) p.get(k);
      const values = ((await p.exec()) ?? []).map(([, v]) => v as string | null);
      keys.forEach((k, i) => {
        if (seen.has(k)) problems.push(`${k} on ${seen.get(k)} and ${m}`);
        seen.set(k, m);
        if (owner[keySlot(k)] !== m) problems.push(`${k} is on ${m}, but slot ${keySlot(k)} belongs to ${owner[keySlot(k)]}`);
        if (!expected.has(k)) problems.push(`unexpected key ${k}`);
        else if (values[i] !== expected.get(k)) problems.push(`${k} = ${values[i]}, expected ${expected.get(k)}`);
      });
    } while (cursor !== "0");
  }
  for (const k of expected.keys()) if (!seen.has(k)) problems.push(`${k} is missing`);
  return problems.slice(0, 20);
}

/** What a refused operation must leave as it was: slots, roles, open slots, epochs, keys per node. */
export async function clusterSnapshot(addresses: string[], client: (a: string) => Redis): Promise<unknown[]> {
  return Promise.all(
    addresses.map(async (a) => {
      const nodes = parseClusterNodes(String(await client(a).call("CLUSTER", "NODES")))
        .map((e) => ({ id: e.id, role: e.role, master: e.masterId, slots: e.slots, epoch: e.configEpoch, migrating: e.migrating, importing: e.importing }))
        .sort((x, y) => x.id.localeCompare(y.id));
      return { a, nodes, dbsize: await client(a).dbsize() };
    }),
  );
}
