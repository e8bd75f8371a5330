// The drill runner end to end on a real redis-server: writers through ioredis, an
// action in the middle, the final read, the checker, the history file and the SVG.
// Assertions are on what the checker must find (a FLUSHALL loses acknowledged writes;
// a write pause refuses nothing), never on timings.
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clientSettings } from "../src/drills/client-settings.js";
import { runDrill, type DrillScenario } from "../src/drills/run-drill.js";
import { closeClient, openClient } from "../src/drills/workload.js";
import type { Cluster } from "ioredis";
import { drillOutput, summarizeDrill } from "../src/drills/tool-shape.js";
import { renderTimelineSvg, timelineRows } from "../src/drills/timeline.js";
import { labUp } from "../src/lab/index.js";
import { createCluster } from "../src/ops/cluster-create/index.js";
import { formatAddress } from "../src/redis/address.js";
import { withNode } from "../src/redis/connection.js";
import { useTempLabHome } from "./helpers/env.js";
import { uniformAccess } from "../src/redis/node-access.js";
import { findFreePort } from "../src/lab/ports.js";
import { setTimeout as sleep } from "node:timers/promises";

useTempLabHome();

function standalone(name: string, action: (address: string) => Promise<void>, label: string): DrillScenario {
  return {
    name,
    async setup(run) {
      const lab = await labUp({ name: `${name}-${run}`, nodes: 1, cluster: false });
      const address = formatAddress(lab.nodes[0]);
      return {
        writeTo: { settings: clientSettings({ kind: "standalone", address }) },
        readFrom: [{ settings: clientSettings({ kind: "standalone", address }) }],
        roles: { [address]: "master" },
        async act({ rec }) {
          rec.event(name, label);
          await action(address);
        },
        // The test's lab home downs every lab at the end.
        teardown: async () => undefined,
      };
    },
  };
}

describe("runDrill on a standalone server", () => {
  it("a FLUSHALL in the middle shows up as lost acknowledged writes", async () => {
    const scenario = standalone("flush", (a) => withNode(a, {}, async (c) => void (await c.flushall())), "FLUSHALL");
    const result = await runDrill(scenario, { runs: 2, warmupMs: 200, settleMs: 200 });
    expect(result.runs).toHaveLength(2);
    for (const r of result.runs) {
      expect(r.report.finalRead).toBe(true);
      expect(r.report.writes.lost).toBeGreaterThan(0);
      expect(r.report.writes.kept).toBeGreaterThan(0);
      expect(r.report.valid).toBe(false);
      expect(r.history.events.map((e) => e.kind)).toEqual(["flush"]);
    }
    expect(result.summary.validRuns).toBe(0);
    expect(result.summary.lost.min).toBeGreaterThan(0);
  });

  it("a write pause loses nothing, shows a gap, and the tool output writes history and SVG", async () => {
    const scenario = standalone("pause", (a) => withNode(a, {}, async (c) => void (await c.call("CLIENT", "PAUSE", "300", "WRITE"))), "CLIENT PAUSE 300 ms");
    const result = await runDrill(scenario, { runs: 1, warmupMs: 200, settleMs: 500 });
    const [r] = result.runs;
    expect(r.report.writes.lost).toBe(0);
    expect(r.report.writes.failed).toBe(0);
    expect(r.report.valid).toBe(true);
    // Writes stall for the pause: one gap over the threshold.
    expect(r.report.unavailability.windows.length).toBeGreaterThanOrEqual(1);
    expect(r.report.reads.ok).toBeGreaterThan(0);
    expect(r.report.reads.replicaShare).toBe(0);

    const dir = tmpdir();
    const files = { history: join(dir, `drill-${process.pid}.json`), svg: join(dir, `drill-${process.pid}.svg`) };
    const out = await drillOutput("pause", ["pause writes"], [result], files);
    const saved = JSON.parse(await readFile(files.history, "utf8"));
    expect(saved.histories[0].ops.length).toBe(r.history.ops.length);
    const svg = await readFile(files.svg, "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("CLIENT PAUSE 300 ms");
    expect(summarizeDrill(out)).toMatch(/pause: 1 run, acknowledged \d+, lost 0/);
  });
});

describe("runDrill when a client cannot open", () => {
  // A long-running MCP server runs many drills: a run that fails while opening its
  // clients must close the ones it opened (else a socket stays, and a reconnect timer
  // for the one that never opened retries for ever).
  it("closes every client it opened and stops the one that failed, then says why", async () => {
    const lab = await labUp({ name: "drill-open-fails", nodes: 1, cluster: false });
    const good = formatAddress(lab.nodes[0]);
    const refused = `127.0.0.1:${await findFreePort()}`;
    const settings = (address: string) => clientSettings({ kind: "standalone", address });
    let tornDown = false;
    const scenario: DrillScenario = {
      name: "open-fails",
      setup: async () => ({
        writeTo: { settings: settings(good) },
        writers: [{ settings: settings(good) }, { settings: settings(refused) }, { settings: settings(good) }],
        act: async () => undefined,
        teardown: async () => void (tornDown = true),
      }),
    };
    const before = process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap" || r === "Timeout").length;
    await expect(runDrill(scenario, { runs: 1, warmupMs: 0, settleMs: 0 })).rejects.toThrow(`Cannot reach ${refused}: connect ECONNREFUSED ${refused}`);
    expect(tornDown).toBe(true);
    // Only this CLIENT LIST's own connection is left on the server.
    const clients = await withNode(good, {}, async (c) => String(await c.call("CLIENT", "LIST")).trim().split("\n"));
    expect(clients).toHaveLength(1);
    await sleep(300); // past the refused client's first reconnect delay
    const after = process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap" || r === "Timeout").length;
    expect(after).toBeLessThanOrEqual(before);
  });
});

describe("runDrill on a Redis Cluster", () => {
  it("the cluster client writes and reads across slots, and the final read covers every key", async () => {
    const lab = await labUp({ name: "drill-cluster", nodes: 3, cluster: true, nodeTimeoutMs: 2000 });
    const nodes = lab.nodes.map((n) => formatAddress(n));
    await createCluster({ access: uniformAccess(), addresses: nodes, replicas: 0 }, { progress: () => undefined });
    const settings = clientSettings({ kind: "cluster", nodes });
    const scenario: DrillScenario = {
      name: "cluster-steady",
      setup: async () => ({ writeTo: { settings }, readFrom: [{ settings }], act: async ({ rec }) => rec.event("nothing", "nothing happens"), teardown: async () => undefined }),
    };
    const [r] = (await runDrill(scenario, { runs: 1, warmupMs: 150, settleMs: 150 })).runs;
    expect(r.report.finalRead).toBe(true);
    expect(r.report.writes.ok).toBeGreaterThan(0);
    expect(r.report.writes.kept).toBe(r.report.writes.ok);
    expect(r.report.valid).toBe(true);
    expect(r.report.reads.ok).toBeGreaterThan(0);
  });

  // ioredis re-arms slotsRefreshInterval's timer when a refresh in flight completes, even
  // after quit cleared it: a client closed mid-refresh refreshed for ever (a referenced
  // timer in a long-running MCP server). Closed exactly then, it must stop.
  it("a cluster client closed while its periodic slot refresh is in flight stops refreshing", async () => {
    const lab = await labUp({ name: "drill-refresh", nodes: 3, cluster: true, nodeTimeoutMs: 2000 });
    const nodes = lab.nodes.map((n) => formatAddress(n));
    await createCluster({ access: uniformAccess(), addresses: nodes, replicas: 0 }, { progress: () => undefined });
    for (let attempt = 0; attempt < 3; attempt++) {
      const client = (await openClient(clientSettings({ kind: "cluster", nodes }, { slotsRefreshIntervalMs: 20 }))) as Cluster;
      const internals = client as unknown as { isRefreshing: boolean; slotsTimer: unknown };
      while (!internals.isRefreshing) await sleep(1);
      await closeClient(client);
      await sleep(100); // five refresh periods
      expect(internals.slotsTimer).toBeNull();
    }
  });
});

describe("timeline", () => {
  it("counts completions per 10 ms bucket by outcome, leaving out invokes and the final read", () => {
    const h = {
      drill: "t",
      startedAt: "",
      meta: {},
      events: [],
      ops: [
        { id: 1, process: 0, type: "invoke" as const, f: "write" as const, time: 1, key: "a", value: 1 },
        { id: 1, process: 0, type: "ok" as const, f: "write" as const, time: 3, key: "a", value: 1 },
        { id: 2, process: 0, type: "invoke" as const, f: "write" as const, time: 4, key: "b", value: 2 },
        { id: 2, process: 0, type: "info" as const, f: "write" as const, time: 14, key: "b", value: 2 },
        { id: 3, process: 1, type: "invoke" as const, f: "read" as const, time: 5, key: "a" },
        { id: 3, process: 1, type: "ok" as const, f: "read" as const, time: 6, key: "a", value: 1 },
        { id: 4, process: 9, type: "ok" as const, f: "final-read" as const, time: 30, value: {} },
      ],
    };
    expect(timelineRows(h)).toEqual([
      { run: "run 1", t: 0, outcome: "ok", n: 2 },
      { run: "run 1", t: 10, outcome: "unknown", n: 1 },
    ]);
  });

  it("renders an SVG without a browser, events labelled", async () => {
    const svg = await renderTimelineSvg([{ drill: "t", startedAt: "", meta: {}, events: [{ time: 5, kind: "kill", label: "kill -9 master" }], ops: [] }]);
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("kill -9 master");
  });
});
