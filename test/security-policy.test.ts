// Issue 9, items 1-3: the mutation policy and credentials belong to the node (found by IP
// and port), not to how the call spells it. On real servers that belong to no lab:
// mixed targets in both config orders, hostname aliases, discovered peers, dry runs, a
// caller-added socket that must never see a target's password, and the same refusals
// through the real MCP client and the CLI.
import { createServer, type Server } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCluster } from "../src/ops/cluster-create/index.js";
import { connect } from "../src/redis/connection.js";
import { uniformAccess } from "../src/redis/node-access.js";
import { invokeTool } from "../src/registry/invoke.js";
import { parseConfig, type PilotConfig } from "../src/targets/config.js";
import { createResolver, type ResolverOptions } from "../src/targets/resolver.js";
import { readClusterView } from "../src/topology/read-cluster-view.js";
import { clusterCreate } from "../tools/cluster/cluster-create.js";
import { useTempLabHome } from "./helpers/env.js";
import { runBin } from "./helpers/cli.js";
import { stdioClient, textOf } from "./helpers/mcp-client.js";
import { startServers, type Servers } from "./helpers/servers.js";

useTempLabHome();
const PW = "pw-of-the-targets-7731";
process.env.RP_POLICY_PW = PW;
const dir = mkdtempSync(join(tmpdir(), "redis-pilot-policy-"));

let empty: Servers; // 4 empty cluster-enabled nodes: rw gets 0-2, ro gets 3
let built: Servers; // a 3-master cluster: rw lists node 0, ro lists node 2
const watchers: Redis[] = [];

beforeAll(async () => {
  [empty, built] = await Promise.all([startServers(4, { password: PW }), startServers(3, { password: PW })]);
  await createCluster({ addresses: built.addresses, replicas: 0, access: uniformAccess({ password: PW }) }, { progress: () => {} });
});

afterAll(async () => {
  for (const w of watchers) w.disconnect();
  await Promise.all([empty?.stop(), built?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const port = (address: string) => address.split(":")[1];
const target = (nodes: string[], allowMutations: boolean) => ({ nodes, allowMutations, passwordEnv: "RP_POLICY_PW" });

function config(order: "rw-first" | "ro-first", ro: string[] = [empty.addresses[3], built.addresses[2]]): PilotConfig {
  const rw = target([...empty.addresses.slice(0, 3), built.addresses[0]], true);
  const entries = order === "rw-first" ? { rw, ro: target(ro, false) } : { ro: target(ro, false), rw };
  return parseConfig(JSON.stringify({ targets: entries }), "config.json");
}

function ctx(opts: ResolverOptions) {
  return { ctx: { progress: () => {}, signal: new AbortController().signal, targets: createResolver(opts) } };
}

/** Connections each server has accepted, read over one long-lived connection: a refusal must open none. */
async function connectionCounts(addresses: string[]): Promise<number[]> {
  while (watchers.length < addresses.length) watchers.push(await connect(addresses[watchers.length], { password: PW }));
  return Promise.all(watchers.map(async (w) => Number(/total_connections_received:(\d+)/.exec(await w.info("stats"))![1])));
}

describe("a mutating call is refused when any node it touches may not change", () => {
  it.each(["rw-first", "ro-first"] as const)("mixed targets and bare addresses, config %s: refused, naming the node and its target, before any connection", async (order) => {
    const nodes = [empty.addresses[0], `localhost:${port(empty.addresses[1])}`, empty.addresses[2], empty.addresses[3]];
    const watched = [...empty.addresses];
    const before = await connectionCounts(watched);
    for (const allowAdhocMutations of [true, undefined]) {
      for (const dryRun of [false, true]) {
        const r = await invokeTool(clusterCreate, { nodes, replicas: 0, dryRun }, ctx({ config: config(order), allowAdhocMutations }));
        expect(r.ok).toBe(false);
        expect(r.ok ? undefined : r.error).toMatchObject({ code: "mutation_not_allowed", message: expect.stringContaining(`${empty.addresses[3]} is read-only here`) });
        expect(r.summary).toContain("target 'ro' does not allow mutations");
      }
    }
    expect(await connectionCounts(watched)).toEqual(before);
  });

  it.each([
    ["the target lists 127.0.0.1, the call says localhost", (p: string) => `127.0.0.1:${p}`, (p: string) => `localhost:${p}`],
    ["the target lists 127.0.0.1, the call says 127.1", (p: string) => `127.0.0.1:${p}`, (p: string) => `127.1:${p}`],
    ["the target lists localhost, the call says 127.0.0.1", (p: string) => `localhost:${p}`, (p: string) => `127.0.0.1:${p}`],
  ])("hostname aliases: %s", async (_name, listed, called) => {
    const p = port(empty.addresses[3]);
    const cfg = config("rw-first", [listed(p)]);
    const nodes = [...empty.addresses.slice(0, 3), called(p)];
    const r = await invokeTool(clusterCreate, { nodes, replicas: 0, dryRun: true }, ctx({ config: cfg, allowAdhocMutations: true }));
    expect(r.ok ? undefined : r.error.code).toBe("mutation_not_allowed");
  });

  it("a dry run on a read-only target is refused like the real run", async () => {
    for (const dryRun of [true, false]) {
      const r = await invokeTool(clusterCreate, { target: "ro", replicas: 0, dryRun }, ctx({ config: config("rw-first") }));
      expect(r.ok ? undefined : r.error.code).toBe("mutation_not_allowed");
    }
  });

  it("bare addresses: the CLI operator's consent, read-only for a model unless the config allows them", async () => {
    const nodes = empty.addresses.slice(0, 3);
    const none = parseConfig("{}", "c.json");
    const allowed = parseConfig(JSON.stringify({ bareAddresses: { allowMutations: true } }), "c.json");
    const run = (opts: ResolverOptions) => invokeTool(clusterCreate, { nodes, replicas: 0, dryRun: true }, ctx({ ...opts, adhocConnection: { password: PW } }));
    expect((await run({ config: none, allowAdhocMutations: true })).ok).toBe(true);
    const model = await run({ config: none });
    expect(model.ok ? undefined : model.error.message).toMatch(/is read-only here: it belongs to no lab or config target/);
    expect((await run({ config: allowed })).ok).toBe(true);
  });

  it("discovered peers: a mutating call whose cluster reaches a read-only target's node is refused before touching it", async () => {
    const resolved = await createResolver({ config: config("ro-first") }).resolve({ target: "rw" }, { mutate: true });
    const err = await readClusterView([built.addresses[0]], { access: resolved.access }).catch((e) => e);
    expect(err).toMatchObject({ code: "mutation_not_allowed", message: expect.stringContaining(`${built.addresses[2]} (reported by ${built.addresses[0]}) is read-only here`) });
  });
});

describe("credentials go to their own target's nodes and the peers those report, nowhere else", () => {
  it("a peer reported by a target's seed gets that target's password; a node another target lists gets that one's", async () => {
    const resolved = await createResolver({ config: config("rw-first") }).resolve({ nodes: [built.addresses[0]] }, { mutate: false });
    const view = await readClusterView(resolved.addresses, { access: resolved.access });
    expect(view.nodes).toHaveLength(3);
    expect(view.unreachable).toEqual([]);
    expect(resolved.access.grant(built.addresses[1]).owner).toEqual({ kind: "target", name: "rw" });
    expect(resolved.access.grant(built.addresses[2]).owner).toEqual({ kind: "target", name: "ro" });
  });

  let trap: Server;
  let heard = "";
  let trapAddress: string;
  beforeAll(async () => {
    trap = createServer((s) => {
      s.on("data", (d) => (heard += d.toString("latin1")));
      s.on("error", () => {});
      setTimeout(() => s.destroy(), 50);
    });
    await new Promise<void>((r) => trap.listen(0, "127.0.0.1", () => r()));
    trapAddress = `127.0.0.1:${(trap.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => trap.close(() => r())));

  it("over MCP --read-only, a socket the caller adds next to a target's node never receives the target's password", async () => {
    const file = join(dir, "targets.json");
    writeFileSync(file, JSON.stringify({ targets: { ro: target([built.addresses[0]], false) } }));
    const s = await stdioClient(["--read-only", "--config", file]);
    try {
      heard = "";
      for (const name of ["cluster_check", "cluster_info"]) {
        const r = await s.client.callTool({ name, arguments: { nodes: [built.addresses[0], trapAddress] } });
        expect(textOf(r)).not.toContain(PW);
      }
      await s.client.readResource({ uri: `redis-pilot://node/${trapAddress}/info` }).catch(() => undefined);
      expect(heard.length).toBeGreaterThan(0);
      expect(heard).not.toContain(PW);
    } finally {
      await s.client.close();
    }
  });
});

describe("through the front ends", () => {
  it("MCP: cluster_create mixing both targets' nodes is refused, dry run too", async () => {
    const file = join(dir, "mixed.json");
    const c = config("ro-first");
    writeFileSync(file, JSON.stringify(c));
    const s = await stdioClient(["--config", file]);
    try {
      for (const dryRun of [true, false]) {
        const r = await s.client.callTool({ name: "cluster_create", arguments: { nodes: empty.addresses, replicas: 0, dryRun } });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toContain(`${empty.addresses[3]} is read-only here`);
      }
    } finally {
      await s.client.close();
    }
  });

  it("CLI: a typed bare address that is a read-only target's node is refused; the operator's own bare addresses are not", async () => {
    const file = join(dir, "cli.json");
    writeFileSync(file, JSON.stringify({ targets: { ro: target([empty.addresses[3]], false) } }));
    const env = { REDISCLI_AUTH: PW };
    const refused = await runBin(["--config", file, "cluster", "create", ...empty.addresses.slice(0, 3), `localhost:${port(empty.addresses[3])}`, "--replicas", "0", "--dry-run"], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("is read-only here");
    const allowed = await runBin(["--config", file, "cluster", "create", ...empty.addresses.slice(0, 3), "--replicas", "0", "--dry-run"], env);
    expect(allowed.stderr + allowed.stdout).toContain("Dry run");
    expect(allowed.code).toBe(0);
  });
});
