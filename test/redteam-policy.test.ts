// Red team, on real servers: spellings of an address that reach a read-only target's
// node (0.0.0.0, IPv4-mapped IPv6 in hex) must be that node; a node's credentials must
// not be handed to a server of another owner (masterauth, a sentinel's auth-pass, MIGRATE
// AUTH sent to the source), in the dry run as in the real run. Before the fix the aliases
// passed as bare addresses the CLI operator may change, and replication_attach /
// sentinel_monitor wrote a target's password into a lab's server.
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labUp } from "../src/lab/index.js";
import type { LabState } from "../src/lab/types.js";
import { createCluster } from "../src/ops/cluster-create/index.js";
import { connect } from "../src/redis/connection.js";
import { uniformAccess } from "../src/redis/node-access.js";
import { formatAddress } from "../src/redis/address.js";
import { invokeTool } from "../src/registry/invoke.js";
import { canonicalIp } from "../src/targets/owners.js";
import { parseConfig, type PilotConfig } from "../src/targets/config.js";
import { createResolver, type ResolverOptions } from "../src/targets/resolver.js";
import { clusterCreate } from "../tools/cluster/cluster-create.js";
import { clusterReshard } from "../tools/cluster/cluster-reshard.js";
import { replicationAttach } from "../tools/replication/replication-attach.js";
import { sentinelMonitor } from "../tools/sentinel/sentinel-monitor.js";
import { runBin } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";
import { startServers, type Servers } from "./helpers/servers.js";

useTempLabHome();
const PW = "pw-target-handover-5521";
const OTHER = "pw-bare-node-7780";
process.env.RP_HANDOVER_PW = PW;
let empty: Servers, pair: Servers, mixed: Servers;
let lab: LabState;
const clients: Redis[] = [];

beforeAll(async () => {
  [empty, pair, mixed, lab] = await Promise.all([
    startServers(4, { password: PW }),
    startServers(1, { password: PW, cluster: false }),
    startServers(3, { password: PW }),
    labUp({ name: "handover", nodes: 1, cluster: false, sentinels: 1, password: "lab-pw-3301" }),
  ]);
  // A cluster of two owners: nodes 0 and 1 are target rw's, node 2 answers to another password.
  await createCluster({ addresses: mixed.addresses, replicas: 0, access: uniformAccess({ password: PW }) }, { progress: () => {} });
  const third = await connect(mixed.addresses[2], { password: PW });
  clients.push(third);
  await third.call("CONFIG", "SET", "requirepass", OTHER);
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await Promise.all([empty?.stop(), pair?.stop(), mixed?.stop()]);
});

const port = (a: string) => a.split(":").pop()!;
const ctx = (config: PilotConfig, opts: Omit<ResolverOptions, "config"> = {}) => ({
  ctx: { progress: () => {}, signal: new AbortController().signal, targets: createResolver({ config, ...opts }) },
});
const target = (nodes: string[], allowMutations: boolean) => ({ nodes, allowMutations, passwordEnv: "RP_HANDOVER_PW" });

describe("every spelling that reaches a node is that node", () => {
  it.each([
    ["0.0.0.0", "127.0.0.1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::FFFF:7F00:1", "127.0.0.1"],
    ["0:0:0:0:0:ffff:7f00:1", "127.0.0.1"],
    ["[::ffff:7f00:2]", "127.0.0.2"],
    ["::", "::1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["fe80:0:0:0:0:0:0:1", "fe80::1"],
  ])("%s is %s", (ip, canonical) => {
    expect(canonicalIp(ip)).toBe(canonical);
  });

  it("0.0.0.0, 0 and ::ffff:7f00:1 name a read-only target's node: refused even for the CLI operator", async () => {
    const ro = empty.addresses[3];
    const p = port(ro);
    const config = parseConfig(JSON.stringify({ targets: { ro: target([ro], false) } }), "c.json");
    for (const alias of [`0.0.0.0:${p}`, `0:${p}`, `[::ffff:7f00:1]:${p}`, `::ffff:7f00:1:${p}`, `[0:0:0:0:0:ffff:7f00:1]:${p}`]) {
      const r = await invokeTool(clusterCreate, { nodes: [...empty.addresses.slice(0, 3), alias], replicas: 0, dryRun: true }, ctx(config, { allowAdhocMutations: true, adhocConnection: { password: PW } }));
      expect(r.ok ? "created" : r.error.code, alias).toBe("mutation_not_allowed");
    }
  });

  it("through the CLI: cluster create with 0.0.0.0:PORT of a read-only target's node is refused and the node stays empty", async () => {
    const ro = empty.addresses[3];
    const file = `${process.env.REDIS_PILOT_HOME}/aliases.json`;
    await import("node:fs/promises").then((fs) => fs.writeFile(file, JSON.stringify({ targets: { ro: target([ro], false) } })));
    const r = await runBin(["--config", file, "cluster", "create", ...empty.addresses.slice(0, 3), `0.0.0.0:${port(ro)}`, "--replicas", "0", "--yes"], { REDISCLI_AUTH: PW });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("is read-only here");
    const c = await connect(ro, { password: PW });
    try {
      expect(String(await c.call("CLUSTER", "INFO"))).toContain("cluster_known_nodes:1");
    } finally {
      c.disconnect();
    }
  });
});

describe("a node's credentials are not handed to a server of another owner", () => {
  const rw = () => parseConfig(JSON.stringify({ targets: { rw: target([pair.addresses[0], mixed.addresses[0], mixed.addresses[1]], true) } }), "c.json");

  it("replication_attach: a lab node as replica of a target's master would get the target's password as masterauth: refused, dry run too", async () => {
    const labNode = formatAddress(lab.nodes[0]);
    for (const dryRun of [true, false]) {
      const r = await invokeTool(replicationAttach, { master: pair.addresses[0], replicas: [labNode], dryRun, confirm: true }, ctx(rw()));
      expect(r.ok ? "attached" : r.error.code).toBe("credentials_not_forwarded");
      expect(r.summary).toContain(`${labNode} (lab 'handover') would be given the credentials of ${pair.addresses[0]} (target 'rw') as masterauth`);
    }
    const node = await connect(labNode, { password: "lab-pw-3301" });
    try {
      expect(((await node.call("CONFIG", "GET", "masterauth")) as string[])[1]).toBe("lab-pw-3301");
      expect(String(await node.call("INFO", "replication"))).toContain("role:master");
    } finally {
      node.disconnect();
    }
  });

  it("sentinel_monitor: a lab sentinel would get a target master's password as auth-pass: refused, and it monitors nothing", async () => {
    const labSentinel = formatAddress(lab.sentinels![0]);
    for (const dryRun of [true, false]) {
      const r = await invokeTool(sentinelMonitor, { nodes: [labSentinel], master: pair.addresses[0], name: "prod", dryRun }, ctx(rw()));
      expect(r.ok ? "monitoring" : r.error.code).toBe("credentials_not_forwarded");
    }
    const s = await connect(labSentinel, { password: "lab-pw-3301" });
    try {
      expect(await s.call("SENTINEL", "MASTERS")).toEqual([]);
    } finally {
      s.disconnect();
    }
  });

  it("cluster_reshard: MIGRATE would carry the target's password to a node of no target: refused before any slot moves, dry run too", async () => {
    // Node 2 belongs to no target and answers to the operator's own -a password (the CLI's).
    const config = rw();
    const where = { nodes: [mixed.addresses[0], mixed.addresses[2]] };
    const watcher = await connect(mixed.addresses[2], { password: OTHER });
    clients.push(watcher);
    const before = String(await watcher.call("CLUSTER", "NODES"));
    const id = (a: string) => before.split("\n").find((l) => l.includes(` ${a}@`))!.split(" ")[0];
    for (const dryRun of [true, false]) {
      const r = await invokeTool(
        clusterReshard,
        { ...where, from: id(mixed.addresses[2]), to: id(mixed.addresses[0]), slots: 10, dryRun, confirm: true },
        ctx(config, { allowAdhocMutations: true, adhocConnection: { password: OTHER } }),
      );
      expect(r.ok ? "moved" : r.error.code, r.summary).toBe("credentials_not_forwarded");
      expect(r.summary).toContain("in MIGRATE's AUTH");
    }
    const after = String(await watcher.call("CLUSTER", "NODES"));
    const slots = (s: string) => s.split("\n").map((l) => l.split(" ").slice(8).join(" ")).sort();
    expect(slots(after)).toEqual(slots(before));
  });
});
