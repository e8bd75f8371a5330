// Replication ops through the registry (invokeTool, the path every front end takes) on
// real redis-server processes: attach, check, lag, switchover, detach, promote after a
// kill -9; and the bad inputs that must give one sentence and change nothing.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findFreePort } from "../src/lab/ports.js";
import { findRedisServer } from "../src/lab/redis-binary.js";
import { allTools } from "../tools/index.js";
import { labFault } from "../src/lab/faults/index.js";
import { labUp } from "../src/lab/index.js";
import { formatAddress } from "../src/redis/address.js";
import { NodePool } from "../src/redis/connection.js";
import { invokeTool, type InvokeResult } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { readReplicationView } from "../src/topology/replication-view.js";
import { useTempLabHome } from "./helpers/env.js";
import { startServers } from "./helpers/servers.js";

useTempLabHome();

function call(name: string, args: Record<string, unknown>, resolver = createResolver({ allowAdhocMutations: true })): Promise<InvokeResult> {
  const tool = allTools.find((t) => t.name === name)!;
  return invokeTool(tool, args, { ctx: { progress: () => {}, signal: new AbortController().signal, targets: resolver } });
}

async function ok(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await call(name, args);
  if (!r.ok) throw new Error(`${name}: ${r.summary}`);
  return r.output;
}

/** Who each address follows ("master" for a master), read straight from the servers. */
async function roles(addresses: string[], password?: string): Promise<Record<string, string>> {
  const pool = new NodePool({ password });
  try {
    const view = await readReplicationView(addresses, { pool, discover: false });
    return Object.fromEntries(view.nodes.map((n) => [n.address, n.replication.role === "master" ? "master" : `${n.replication.masterHost}:${n.replication.masterPort}`]));
  } finally {
    await pool.close();
  }
}

/** Restarts a lab node (SIGTERM, same redis.conf) and waits until it follows `master` again with its link up ("master": until it answers as a master). */
async function restartAndRead(lab: string, node: string, master: string): Promise<string> {
  await labFault(lab, node, "restart");
  return roleOnceSettled(node, master);
}

/** `node`'s role once it is `master` (a replica of it with its link up, or "master"), or whatever it is after 30 s. */
async function roleOnceSettled(node: string, master: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const pool = new NodePool({});
    try {
      const [n] = (await readReplicationView([node], { pool, discover: false })).nodes;
      const role = n.replication.role === "master" ? "master" : `${n.replication.masterHost}:${n.replication.masterPort}`;
      if (role === master && (role === "master" || n.replication.masterLinkStatus === "up")) return role;
      if (Date.now() > deadline) return role;
    } finally {
      await pool.close();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("replication ops on a plain 4-node lab", () => {
  it("attach, check, lag, switchover, detach, promote after a kill -9", async () => {
    const lab = await labUp({ name: "repl-ops", nodes: 4, cluster: false, config: { "repl-diskless-sync-delay": "0" } });
    const [a, b, c, d] = lab.nodes.map((n) => formatAddress(n));

    const dry = await ok("replication_attach", { lab: "repl-ops", master: a, replicas: [b, c, d], dryRun: true });
    expect(dry.applied).toBe(false);
    expect(await roles([a, b, c, d])).toEqual({ [a]: "master", [b]: "master", [c]: "master", [d]: "master" });

    const attached = await ok("replication_attach", { lab: "repl-ops", master: a, replicas: [b, c, d], confirm: true });
    expect(attached.applied).toBe(true);
    expect(await roles([a, b, c, d])).toEqual({ [a]: "master", [b]: a, [c]: a, [d]: a });
    expect((attached.steps as { kind: string }[]).filter((st) => st.kind === "config-rewrite")).toHaveLength(3);
    // The role is in the config file: restarted (empty: the lab runs without persistence), c comes back as a's replica and resyncs.
    const pool = new NodePool({});
    await (await pool.get(a)).call("SET", "persisted-role", "1");
    await pool.close();
    expect(await restartAndRead("repl-ops", c, a)).toBe(a);
    const again = new NodePool({});
    expect(await (await again.get(c)).call("GET", "persisted-role")).toBe("1");
    await again.close();

    const check = await ok("replication_check", { nodes: [a] });
    expect(check.ok).toBe(true);
    expect((check.nodes as unknown[]).length).toBe(4);
    expect((check.findings as { code: string }[]).map((f) => f.code)).toContain("min_replicas_off");

    const lag = await ok("replication_lag", { nodes: [a], durationMs: 300, intervalMs: 100 });
    expect((lag.replicas as { samples: number }[]).map((r) => r.samples >= 2)).toEqual([true, true, true]);

    const sw = await ok("replication_switchover", { lab: "repl-ops", master: a, to: b });
    expect(sw.applied).toBe(true);
    expect(typeof sw.writableMs).toBe("number");
    expect(await roles([a, b, c, d])).toEqual({ [a]: b, [b]: "master", [c]: b, [d]: b });
    // The demoted old master and the new master keep their roles across a restart.
    expect(await restartAndRead("repl-ops", a, b)).toBe(b);
    expect(await restartAndRead("repl-ops", b, "master")).toBe("master");
    // b came back empty with a new replication id: its replicas resync before anything else happens to them.
    expect([await roleOnceSettled(c, b), await roleOnceSettled(d, b)]).toEqual([b, b]);
    expect(await roles([a, c, d])).toEqual({ [a]: b, [c]: b, [d]: b });

    const detached = await ok("replication_detach", { lab: "repl-ops", replica: d });
    expect(detached.applied).toBe(true);
    expect((await roles([d]))[d]).toBe("master");
    // Two masters of one history: the check names the split (deliberate here, half-done after an interrupted switchover).
    const split = await ok("replication_check", { lab: "repl-ops" });
    expect((split.findings as { code: string; node?: string }[]).filter((f) => f.code === "split_from_master")).toEqual([expect.objectContaining({ node: d })]);
    expect(await restartAndRead("repl-ops", d, "master")).toBe("master");

    // The master dies; promote refuses nothing now and repoints the other replicas.
    await labFault("repl-ops", b, "kill");
    const promoted = await ok("replication_promote", { lab: "repl-ops", replica: c, confirm: true });
    expect(promoted.repoint).toEqual([a]);
    expect(await roles([a, c])).toEqual({ [a]: c, [c]: "master" });
    expect(await restartAndRead("repl-ops", a, c)).toBe(c);
    expect(await restartAndRead("repl-ops", c, "master")).toBe("master");
  });
});

describe("bad inputs give one sentence and change nothing", () => {
  it("replica of itself, loop, live master, unreachable address, wrong password", async () => {
    const lab = await labUp({ name: "repl-bad", nodes: 3, cluster: false, config: { "repl-diskless-sync-delay": "0" } });
    const [a, b, c] = lab.nodes.map((n) => formatAddress(n));
    await ok("replication_attach", { lab: "repl-bad", master: a, replicas: [b], confirm: true });
    const before = await roles([a, b, c]);

    const self = await call("replication_attach", { lab: "repl-bad", master: a, replicas: [a], confirm: true });
    expect(self.ok ? "" : self.error.message).toBe(`${a} cannot be a replica of itself (it is the master ${a}).`);

    const loop = await call("replication_attach", { lab: "repl-bad", master: b, replicas: [a], confirm: true });
    expect(loop.ok ? "" : loop.error.message).toMatch(new RegExp(`^Making ${a} a replica of ${b} would create a replication loop`));

    const live = await call("replication_promote", { lab: "repl-bad", replica: b, confirm: true });
    expect(live.ok ? "" : live.error.message).toMatch(/is up and answering as a master: promoting now would leave two masters\.$/);

    const nobody = await call("replication_attach", { nodes: [c], master: "127.0.0.1:1", replicas: [c], confirm: true });
    expect(nobody.ok ? "" : `${nobody.error.code}: ${nobody.error.message}`).toBe("unreachable: Cannot reach 127.0.0.1:1: connection refused.");

    expect(await roles([a, b, c])).toEqual(before);

    const pw = await startServers(2, { password: "right-pw", cluster: false });
    try {
      const wrong = createResolver({ allowAdhocMutations: true, adhocConnection: { password: "wrong-pw" } });
      const r = await call("replication_attach", { nodes: pw.addresses, master: pw.addresses[0], replicas: [pw.addresses[1]], confirm: true }, wrong);
      expect(r.ok ? "" : `${r.error.code}: ${r.error.message}`).toMatch(/^auth_failed: Authentication failed at /);
      expect(await roles(pw.addresses, "right-pw")).toEqual({ [pw.addresses[0]]: "master", [pw.addresses[1]]: "master" });
    } finally {
      await pw.stop();
    }
  });
});

describe("a replica started without a config file", () => {
  it("attach says in the plan and in a finding that its role is not persisted", async () => {
    const lab = await labUp({ name: "repl-nofile", nodes: 1, cluster: false, config: { "repl-diskless-sync-delay": "0" } });
    const master = formatAddress(lab.nodes[0]);
    const dir = mkdtempSync(join(tmpdir(), "rp-nofile-"));
    const port = await findFreePort();
    const replica = `127.0.0.1:${port}`;
    // Command-line settings only: INFO's config_file is empty, CONFIG REWRITE has nowhere to write.
    const server = spawn(findRedisServer(), ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--save", "", "--appendonly", "no", "--logfile", join(dir, "redis.log")], { stdio: "ignore" });
    try {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const pool = new NodePool({});
        const up = await pool.get(replica).then((c) => c.call("PING")).then(() => true, () => false);
        await pool.close();
        if (up) break;
        if (Date.now() > deadline) throw new Error(`redis-server on ${replica} did not answer`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const warning = `${replica} runs without a config file, so its new role (replica of ${master}) is not persisted: a restart brings it back as an empty master.`;
      const dry = await ok("replication_attach", { nodes: [master, replica], master, replicas: [replica], dryRun: true });
      expect(dry.warnings).toEqual([warning]);
      expect((dry.steps as { kind: string }[]).map((st) => st.kind)).toEqual(["replicaof", "wait-sync"]);
      const done = await ok("replication_attach", { nodes: [master, replica], master, replicas: [replica], confirm: true });
      expect(done.applied).toBe(true);
      expect((done.findings as { code: string; node?: string }[]).filter((f) => f.code === "role_not_persisted")).toEqual([expect.objectContaining({ node: replica })]);
      const check = await ok("replication_check", { nodes: [master] });
      expect((check.findings as { code: string }[]).map((f) => f.code)).toContain("role_not_persisted");
    } finally {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
