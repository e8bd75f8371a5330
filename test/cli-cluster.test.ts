/**
 * The cluster verbs of the built CLI (bin/redis-pilot, from its startup snapshot), run the way an operator runs
 * them on servers redis-pilot knows nothing about: bare HOST:PORT nodes of a
 * password-protected lab, credentials from REDISCLI_AUTH (or -a). The CLI runs with an
 * empty lab home, so it cannot take the password from the lab's state. One lab for the
 * whole file, in order: refusals and dry runs (nothing changes), create, check, info, then
 * kill -9 of one node. No output ever contains the password.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLab } from "../src/lab/index.js";
import type { LabState } from "../src/lab/types.js";
import { formatAddress } from "../src/redis/address.js";
import { parseClusterNodes } from "../src/redis/parse-cluster-nodes.js";
import { BIN } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";

const labHome = useTempLabHome();
const operatorHome = mkdtempSync(join(tmpdir(), "redis-pilot-home-"));
const PASSWORD = `cli-${randomBytes(8).toString("hex")}`;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; every run is also checked for the password in its output. */
function cli(args: string[], env: Record<string, string> = {}, home = operatorHome): Promise<CliResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "REDISCLI_AUTH" && !k.startsWith("ANTHROPIC_")));
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...base, REDIS_PILOT_HOME: home, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      expect(stdout + stderr).not.toContain(PASSWORD);
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const auth = { REDISCLI_AUTH: PASSWORD };

const clients: Redis[] = [];
afterAll(() => {
  clients.forEach((c) => c.disconnect());
  rmSync(operatorHome, { recursive: true, force: true });
});
/** A direct client; null connects without a password. */
function client(address: string, password: string | null = PASSWORD): Redis {
  const i = address.lastIndexOf(":");
  const c = new Redis({ host: address.slice(0, i), port: Number(address.slice(i + 1)), password: password ?? undefined, maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on("error", () => {});
  clients.push(c);
  return c;
}

/**
 * What a refused or dry-run create must leave as it was, on every node. Left out: message
 * counters, and cluster_size, which a node recomputes by itself 2 s after it starts.
 */
async function snapshot(addresses: string[]): Promise<unknown[]> {
  return Promise.all(
    addresses.map(async (a) => {
      const c = client(a);
      const nodes = parseClusterNodes(String(await c.call("CLUSTER", "NODES"))).map((e) => ({ id: e.id, flags: e.flags, slots: e.slots, epoch: e.configEpoch }));
      const info = String(await c.call("CLUSTER", "INFO")).replace(/cluster_stats_messages.*\r\n|cluster_size:.*\r\n/g, "");
      const config = await c.call("CONFIG", "GET", "cluster-node-timeout", "repl-diskless-sync-delay", "cluster-replica-no-failover");
      return { nodes, info, dbsize: await c.dbsize(), config };
    }),
  );
}

describe("redis-pilot cluster create|check|info on HOST:PORT nodes", () => {
  let lab: LabState;
  let addresses: string[];

  beforeAll(async () => {
    const up = await cli(["lab", "up", "--name", "cli", "--nodes", "6", "--password-env", "LAB_PW"], { LAB_PW: PASSWORD }, labHome);
    expect(up.code, up.stderr).toBe(0);
    lab = (await loadLab("cli"))!;
    addresses = lab.nodes.map((n) => formatAddress(n));
  });

  it("lab up --password-env protects every node, and the password is on no redis-server's argv", async () => {
    await expect(client(addresses[0], null).ping()).rejects.toThrow(/NOAUTH/);
    expect(await client(addresses[0]).ping()).toBe("PONG");
    for (const n of lab.nodes) expect(readFileSync(`/proc/${n.pid}/cmdline`, "utf8")).not.toContain(PASSWORD);
    const unset = await cli(["lab", "up", "--name", "nopw", "--password-env", "NO_SUCH_VAR_FOR_TEST"], {}, labHome);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/--password-env names NO_SUCH_VAR_FOR_TEST, which is not set or empty\./);
  });

  it("create without credentials is refused with auth_failed, changing nothing", async () => {
    const before = await snapshot(addresses);
    const r = await cli(["cluster", "create", ...addresses, "--replicas", "1", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Authentication failed at 127\.0\.\d+\.\d+:\d+\./m);
    expect(await snapshot(addresses)).toEqual(before);
  });

  it("--dry-run runs the preflight with REDISCLI_AUTH and prints the plan, changing nothing", async () => {
    const before = await snapshot(addresses);
    const human = await cli(["cluster", "create", ...addresses, "--replicas", "1", "--dry-run"], auth);
    expect(human.code, human.stderr).toBe(0);
    const lines = human.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Dry run: preflight passed on 6 nodes; would create 3 masters with 3 replicas, changing nothing.");
    expect(lines.slice(1)).toHaveLength(3);
    expect(lines[1]).toMatch(/^ {2}M1 127\.0\.\d+\.\d+:\d+ slots 0-5460 \(5461\) {2}replicas: 127\.0\.\d+\.\d+:\d+$/);
    const json = await cli(["cluster", "create", ...addresses, "--replicas", "1", "--dry-run", "--json"], auth);
    const out = JSON.parse(json.stdout) as { applied: boolean; masters: unknown[]; nodes: { address: string; id: string }[] };
    expect(out.applied).toBe(false);
    expect(out.masters).toHaveLength(3);
    expect(out.nodes.map((n) => n.address)).toEqual(addresses);
    expect(await snapshot(addresses)).toEqual(before);
  });

  it("--dry-run refuses a non-empty node exactly as create does, changing nothing", async () => {
    await client(addresses[3]).call("CLUSTER", "ADDSLOTS", "0");
    try {
      const before = await snapshot(addresses);
      const dry = await cli(["cluster", "create", ...addresses, "--replicas", "1", "--dry-run"], auth);
      const real = await cli(["cluster", "create", ...addresses, "--replicas", "1", "--yes"], auth);
      expect([dry.code, real.code]).toEqual([1, 1]);
      expect(dry.stderr).toContain(`error: ${addresses[3]} is not empty: it already serves 1 slot(s).`);
      expect(real.stderr).toBe(dry.stderr);
      expect(await snapshot(addresses)).toEqual(before);
    } finally {
      await client(addresses[3]).call("CLUSTER", "DELSLOTS", "0");
    }
  });

  it("create --replicas 1 --yes builds 3 masters + 3 replicas that redis-cli --cluster check passes", async () => {
    const r = await cli(["cluster", "create", ...addresses, "--replicas", "1", "--yes"], auth);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Created and verified a cluster of 3 masters and 3 replicas: ready in \d+ ms/);
    expect(r.stderr).toMatch(/restore +build settings restored to their original values/);
    const check = await redisCliClusterCheck(addresses[0], PASSWORD);
    expect(check.ok, check.output).toBe(true);
    for (const a of addresses) {
      const entries = parseClusterNodes(String(await client(a).call("CLUSTER", "NODES")));
      expect(entries.filter((e) => e.role === "master" && e.slots.length > 0)).toHaveLength(3);
      expect(entries.filter((e) => e.role === "replica" && e.masterId)).toHaveLength(3);
    }
  });

  it("cluster check HOST:PORT exits 0; --json gives the structured result", async () => {
    const human = await cli(["cluster", "check", addresses[2]], auth);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.trim()).toBe("OK: 6 nodes (3 masters, 3 replicas), 16384/16384 slots covered, 0 errors, 0 warnings.");
    const json = await cli(["cluster", "check", addresses[2], "--json", "--replicas", "1"], auth);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, counts: { nodes: 6, reachable: 6, unreachable: 0, masters: 3, replicas: 3, slotsCovered: 16384 }, findings: [] });
  });

  it("-a works like redis-cli's, with its warning", async () => {
    const r = await cli(["cluster", "check", addresses[0], "-a", PASSWORD]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Warning: using a password with '-a' or '--pass' on the command line may not be safe");
  });

  it("cluster info lists every node under its master", async () => {
    const human = await cli(["cluster", "info", addresses[0]], auth);
    expect(human.code, human.stderr).toBe(0);
    const lines = human.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("6 nodes (3 masters, 3 replicas), 16384/16384 slots covered, 0 keys.");
    expect(lines.filter((l) => / master {2}/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => /^ {2}\S+ +replica .* link up/.test(l))).toHaveLength(3);
    const json = JSON.parse((await cli(["cluster", "info", addresses[0], "--json"], auth)).stdout) as { nodes: { address: string }[] };
    expect(json.nodes.map((n) => n.address).sort()).toEqual([...addresses].sort());
  });

  it("after kill -9 of one node, cluster check exits non-zero and names it", async () => {
    const victim = lab.nodes[4];
    const victimAddress = formatAddress(victim);
    process.kill(victim.pid!, "SIGKILL");
    const human = await cli(["cluster", "check", addresses[0]], auth);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^FAILED: 6 nodes \(3 masters, 3 replicas, 1 unreachable\)/);
    expect(human.stdout).toMatch(new RegExp(`error +node_unreachable +${victimAddress.replace(/\./g, "\\.")} could not be read`));
    const json = await cli(["cluster", "check", addresses[0], "--json"], auth);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as { ok: boolean; findings: { code: string; node?: string }[] };
    expect(out.ok).toBe(false);
    expect(out.findings).toContainEqual(expect.objectContaining({ code: "node_unreachable", node: victimAddress }));
  });
});
