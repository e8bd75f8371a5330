/**
 * What no handler catches: `cluster create` killed with SIGKILL after it lowered the
 * nodes' failover settings. Its journal is left beside the lab's state; `cluster check`
 * fails naming the interrupted build (and the lowered settings), `cluster fix` (its
 * build-settings kind only: the slot kinds scan every slot, which says nothing here) plans
 * the restore, applies it with --yes and verifies it; then check passes, the journal is gone,
 * and redis-cli --cluster check agrees.
 */
import { execFile, spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labUp } from "../src/lab/index.js";
import { labStateDir } from "../src/lab/store.js";
import { formatAddress } from "../src/redis/address.js";
import { BIN } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";

const home = useTempLabHome();
const LAB = "killed";
const clients: Redis[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));
let addresses: string[] = [];

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...process.env, REDIS_PILOT_HOME: home }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function timeouts(): Promise<string[]> {
  return Promise.all(
    addresses.map(async (a) => {
      const [host, port] = a.split(":");
      const c = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 0 });
      clients.push(c);
      const flat = (await c.call("CONFIG", "GET", "cluster-node-timeout", "cluster-replica-no-failover")) as string[];
      const v = Object.fromEntries(flat.flatMap((_, i) => (i % 2 ? [] : [[flat[i], flat[i + 1]]])));
      return `${v["cluster-node-timeout"]}/${v["cluster-replica-no-failover"]}`;
    }),
  );
}

const journals = () => readdirSync(join(labStateDir(LAB), "build-settings")).filter((f) => f.endsWith(".json"));

beforeAll(async () => {
  const lab = await labUp({ name: LAB, nodes: 6, nodeTimeoutMs: 15000 });
  addresses = lab.nodes.map((n) => formatAddress(n));
  // SIGKILL once the MEETs are out: the nodes then finish the mesh by gossip, with the build's settings on.
  await new Promise<void>((resolve) => {
    const child = spawn(BIN, ["cluster", "create", "--lab", LAB, "--replicas", "1", "--yes"], { env: { ...process.env, REDIS_PILOT_HOME: home }, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      if (/\bmeet\b/.test(err)) child.kill("SIGKILL");
    });
    child.on("exit", () => resolve());
  });
}, 60_000);

describe("cluster create killed with SIGKILL", () => {
  it("left the lowered settings, and its journal beside the lab's state", async () => {
    expect(await timeouts()).toEqual(Array(6).fill("500/yes"));
    expect(journals()).toHaveLength(1);
  });

  it("cluster check fails and names the interrupted build", async () => {
    const r = await cli(["cluster", "check", "--lab", LAB, "--json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; findings: { severity: string; code: string; message: string; next: string }[] };
    const left = out.findings.find((f) => f.code === "build_settings_left");
    expect(left?.severity).toBe("error");
    expect(left?.message).toMatch(/did not finish and left its build settings on (127\.0\.1\.\d+:\d+, ){3}127\.0\.1\.\d+:\d+ and 2 more: cluster-node-timeout 500 \(was 15000\), cluster-replica-no-failover yes \(was no\)\. Its journal is .*build-settings/);
    expect(left?.next).toBe("Run 'redis-pilot cluster fix' to put the original values back.");
  });

  it("cluster fix shows the plan, changes nothing without --yes, then restores, verifies and removes the journal", async () => {
    const dry = await cli(["cluster", "fix", "--lab", LAB, "--kinds", "build-settings", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.match(/build-settings +cluster-node-timeout 500 -> 15000/g)).toHaveLength(6);
    const unconfirmed = await cli(["cluster", "fix", "--lab", LAB, "--kinds", "build-settings"]);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toMatch(/^Nothing was changed: 'redis-pilot cluster fix' is destructive and was not confirmed\. Review the plan, then run the command again with --yes\.$/m);
    expect(await timeouts()).toEqual(Array(6).fill("500/yes"));

    const fix = await cli(["cluster", "fix", "--lab", LAB, "--kinds", "build-settings", "--yes"]);
    expect(fix.code, fix.stdout + fix.stderr).toBe(0);
    expect(fix.stderr).toMatch(/build-settings .*cluster-node-timeout 15000.* restored/);
    expect(await timeouts()).toEqual(Array(6).fill("15000/no"));
    expect(journals()).toEqual([]);
  });

  it("afterwards cluster check finds no lowered setting, and redis-cli --cluster check passes", async () => {
    const r = await cli(["cluster", "check", "--lab", LAB, "--json"]);
    const out = JSON.parse(r.stdout) as { findings: { code: string }[] };
    expect(out.findings.map((f) => f.code)).not.toEqual(expect.arrayContaining(["build_settings_left"]));
    expect(out.findings.filter((f) => /failover|node_timeout/.test(f.code))).toEqual([]);
    const judge = await redisCliClusterCheck(addresses[0]);
    expect(judge.ok, judge.output).toBe(true);
  });
});
