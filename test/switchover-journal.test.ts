// An interrupted switchover (SIGKILL: no handler ran) leaves its journal; replication_check
// judges it against the servers: cut short after the promotion is an error naming the nodes
// to repoint and the call that finishes it; before the promotion only sentinels can be left
// without their master; finished, undone, still running or about other nodes: nothing.
// Pure tables, then the journal on a real lab: written and removed by a switchover, and a
// hand-made half-done switchover found by replication_check and finished by replication_attach.
import { spawnSync } from "node:child_process";
import { readdir } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { allTools } from "../tools/index.js";
import { labUp } from "../src/lab/index.js";
import { journalDir } from "../src/ops/migrate/journal.js";
import { SWITCHOVER_DIR, switchoverFindings, writeSwitchoverJournal, type SwitchoverJournal, type SwitchoverJournalFile } from "../src/ops/replication/switchover-journal.js";
import { formatAddress } from "../src/redis/address.js";
import { invokeTool } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import type { ReplicationNode, ReplicationView } from "../src/topology/replication-view.js";
import { useTempLabHome } from "./helpers/env.js";

useTempLabHome();

const node = (port: number, master?: number): ReplicationNode => ({
  address: `10.0.0.1:${port}`,
  runId: `run${port}`,
  replication: master === undefined ? { role: "master", offset: 0, connectedReplicas: [] } : { role: "replica", masterHost: "10.0.0.1", masterPort: master, masterLinkStatus: "up", offset: 0, connectedReplicas: [] },
  settings: {},
  aofEnabled: false,
  loading: false,
  keys: 0,
  uptimeSeconds: 1,
  redisVersion: "7.2.0",
  clusterEnabled: false,
});
const view = (...nodes: ReplicationNode[]): ReplicationView => ({ readAt: "", nodes, unreachable: [] });
const SENTINELS = { addresses: ["10.0.0.2:26379"], name: "mymaster", quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 10000, parallelSyncs: 1 };
const journal = (extra: Partial<SwitchoverJournal> = {}): SwitchoverJournalFile => ({
  path: "/x.json",
  journal: { op: "replication_switchover", startedAt: "2026-01-01T00:00:00.000Z", pid: 4242, host: "h", from: "10.0.0.1:1", to: "10.0.0.1:2", others: ["10.0.0.1:3"], step: "promoted", ...extra },
});
const dead = () => false;
const codes = (v: ReplicationView, j: SwitchoverJournalFile, alive = dead) => switchoverFindings(v, [j], alive).map((f) => `${f.severity} ${f.code}`);

describe("switchoverFindings", () => {
  const cases: [string, ReplicationView, SwitchoverJournalFile, string[]][] = [
    ["finished: every node follows the new master", view(node(2), node(1, 2), node(3, 2)), journal(), []],
    ["promoted, old master still a master, another replica not moved", view(node(2), node(1), node(3, 1)), journal(), ["error switchover_interrupted"]],
    ["promoted, the old master demoted, one replica left behind", view(node(2), node(1, 2), node(3, 1)), journal(), ["error switchover_interrupted"]],
    ["stopped before the promotion, no sentinels: nothing left", view(node(1), node(2, 1), node(3, 1)), journal({ step: "started" }), []],
    ["stopped before the promotion with sentinels: they may have forgotten the master", view(node(1), node(2, 1), node(3, 1)), journal({ step: "started", sentinels: SENTINELS }), ["warning switchover_interrupted"]],
    ["another set of nodes", view(node(7), node(8, 7)), journal(), []],
  ];
  it.each(cases)("%s", (_, v, j, expected) => expect(codes(v, j)).toEqual(expected));

  it("a switchover still running is not interrupted", () => {
    expect(codes(view(node(2), node(1), node(3, 1)), journal(), () => true)).toEqual([]);
  });

  it("names the nodes to repoint and the calls that finish it", () => {
    const [f] = switchoverFindings(view(node(2), node(1), node(3, 1)), [journal({ sentinels: SENTINELS })], dead);
    expect(f.message).toBe("A switchover from 10.0.0.1:1 to 10.0.0.1:2 (started 2026-01-01T00:00:00.000Z by pid 4242) stopped after 10.0.0.1:2 was promoted: 10.0.0.1:1, 10.0.0.1:3 do not follow it yet, and 10.0.0.1:1 is a master too (its pause has ended).");
    expect(f.next).toMatch(/replication_attach.*10\.0\.0\.1:2.*10\.0\.0\.1:1,10\.0\.0\.1:3.*sentinel_monitor.*mymaster/);
  });
});

async function ok(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const tool = allTools.find((t) => t.name === name)!;
  const r = await invokeTool(tool, args, { ctx: { progress: () => {}, signal: new AbortController().signal, targets: createResolver({ allowAdhocMutations: true }) } });
  if (!r.ok) throw new Error(`${name}: ${r.summary}`);
  return r.output;
}

describe("the journal on a real lab", () => {
  it("a switchover leaves none; a half-done one is found by replication_check and finished by replication_attach", { timeout: 120_000 }, async () => {
    const lab = await labUp({ name: "sw-journal", nodes: 3, cluster: false, config: { "repl-diskless-sync-delay": "0" } });
    const [a, b, c] = lab.nodes.map((n) => formatAddress(n));
    const dir = join(dirname(journalDir({ lab: "sw-journal" })), SWITCHOVER_DIR);
    await ok("replication_attach", { lab: "sw-journal", confirm: true });
    await ok("replication_switchover", { lab: "sw-journal", master: a, to: b });
    await ok("replication_switchover", { lab: "sw-journal", master: b, to: a });
    expect(await readdir(dir)).toEqual([]);

    // What a SIGKILL right after the promotion leaves: the journal of a process that is gone, b a master beside a.
    const gone = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
    await writeSwitchoverJournal(dir, { op: "replication_switchover", startedAt: new Date().toISOString(), pid: gone, host: hostname(), from: a, to: b, others: [c], step: "promoted" });
    const direct = new Redis({ host: lab.nodes[1].host, port: lab.nodes[1].port });
    await direct.call("REPLICAOF", "NO", "ONE");
    direct.disconnect();
    const found = await ok("replication_check", { lab: "sw-journal" });
    expect(found.ok).toBe(false);
    const f = (found.findings as { code: string; severity: string; message: string }[]).find((x) => x.code === "switchover_interrupted");
    expect(f).toMatchObject({ severity: "error", message: expect.stringContaining(`stopped after ${b} was promoted: ${a}, ${c} do not follow it yet, and ${a} is a master too`) });

    // The repair its next step names: the rest follows b; then nothing is left half-done.
    await ok("replication_attach", { lab: "sw-journal", master: b, replicas: [a, c], confirm: true });
    const after = await ok("replication_check", { lab: "sw-journal" });
    expect((after.findings as { code: string; severity: string }[]).filter((x) => x.code === "switchover_interrupted" || x.severity === "error")).toEqual([]);
    expect(after.ok).toBe(true);
  });
});
