// The MCP server runs for as long as its client: a drill called through it must leave
// nothing behind (no socket, no timer holding the loop, no file descriptor, no lab), so
// the tenth call finds the server as the first did. Every drill tool in the registry runs
// once (the smallest run each takes) through the SDK's real Client over stdio; after each,
// the server's open file descriptors (/proc) and its live libuv handles (a Node diagnostic
// report, taken on a signal) are read and compared with the idle server's. A closing
// ioredis client may hold a 2 s guard timer (it destroys a socket that did not close), so
// each reading waits, bounded, for the server to come back to idle: what stays is a leak.
// A drill cancelled mid-run (as an MCP client's cancel does) must leave nothing either.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { listLabs } from "../src/lab/index.js";
import { allTools } from "../tools/index.js";
import { useTempLabHome } from "./helpers/env.js";
import { stdioClient, textOf, type StdioSession } from "./helpers/mcp-client.js";

useTempLabHome();
const reports = mkdtempSync(join(tmpdir(), "redis-pilot-mcp-report-"));

interface LiveHandle {
  type: string;
  is_active: boolean;
  is_referenced: boolean;
  localEndpoint?: { host: string; port: number };
  remoteEndpoint?: { host: string; port: number };
}

interface Handles {
  fds: number;
  /** Referenced active handles by type: an idle server holds only its stdin pipe. */
  referenced: string[];
  /** Open TCP handles (a client still connected, or connecting). */
  tcp: number;
  /**
   * Referenced timer handles. Node keeps all JS timers on one libuv timer, referenced
   * while any of them is: an idle server holds none, a client left retrying holds one.
   */
  refTimers: number;
  /** Every active handle, to say what was left when the counts disagree. */
  live: string[];
}

/** The server's open fds and its active or referenced libuv handles, from a report it writes on SIGUSR2. */
async function handlesOf(pid: number): Promise<Handles> {
  const fds = readdirSync(`/proc/${pid}/fd`).length;
  const before = new Set(readdirSync(reports));
  process.kill(pid, "SIGUSR2");
  let file: string | undefined;
  while (!file) {
    await sleep(50);
    file = readdirSync(reports).find((f) => !before.has(f) && f.endsWith(".json"));
  }
  let report: { libuv: LiveHandle[] } | undefined;
  while (!report) {
    try {
      report = JSON.parse(readFileSync(join(reports, file), "utf8"));
    } catch {
      await sleep(50); // still being written
    }
  }
  const live = report!.libuv.filter((h) => h.is_active);
  const name = (h: LiveHandle) => `${h.type}${h.is_referenced ? "" : "(unref)"}${h.remoteEndpoint ? ` -> ${h.remoteEndpoint.host}:${h.remoteEndpoint.port}` : ""}`;
  return {
    fds,
    referenced: live.filter((h) => h.is_referenced).map((h) => h.type).sort(),
    tcp: live.filter((h) => h.type === "tcp").length,
    refTimers: live.filter((h) => h.type === "timer" && h.is_referenced).length,
    live: live.map(name),
  };
}

/** The server's handles once back to idle, or after 15 s as they are (what is left then is a leak). */
async function settledHandles(pid: number, idle: Handles): Promise<Handles> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const h = await handlesOf(pid);
    const back = h.tcp === 0 && h.refTimers === 0 && h.fds <= idle.fds && h.referenced.join() === idle.referenced.join();
    if (back || Date.now() > deadline) return h;
    await sleep(250);
  }
}

/** What a reading shows about leaks, for a comparison that names the drill. */
const leakView = (h: Handles) => ({ tcp: h.tcp, refTimers: h.refTimers, referenced: h.referenced, fdsOverIdle: 0 });

/** The smallest real run of each drill: one run, one scenario, short waits. A new drill tool must add its line. */
const SMALL_RUN: Record<string, Record<string, unknown>> = {
  drill_switchover: { runs: 1, warmupMs: 200, settleMs: 300 },
  drill_sentinel_failover: { runs: 1, warmupMs: 200, settleMs: 300, failoverDetector: "on" },
  drill_kill_master: { runs: 1, warmupMs: 200, settleMs: 300, protection: "min-replicas" },
  drill_read_scaling: { runs: 1, warmupMs: 200, settleMs: 300 },
  drill_split_brain: { runs: 1, warmupMs: 200, settleMs: 300, deployment: "both", settings: "tuned", holdMs: 300 },
  drill_reshard: { runs: 1, warmupMs: 200, settleMs: 300, slots: 200 },
  drill_kill_fix: { runs: 1, warmupMs: 200, settleMs: 300, slots: 256 },
  drill_cluster_failover: { runs: 1, warmupMs: 200, settleMs: 300 },
};

const drills = allTools.filter((t) => t.toolset === "drills").map((t) => t.name);

describe("drills through a long-running MCP server", () => {
  let session: StdioSession;
  afterAll(async () => {
    await session?.client.close();
  });

  it("every drill tool has a small run here", () => {
    expect(drills.filter((d) => !SMALL_RUN[d])).toEqual([]);
  });

  it("each drill leaves no socket, referenced timer or file descriptor in the server, and it still answers", { timeout: 900_000 }, async () => {
    session = await stdioClient([], {}, { NODE_OPTIONS: `--report-on-signal --report-signal=SIGUSR2 --report-directory=${reports}` });
    const idle = await handlesOf(session.pid);
    expect(idle.tcp).toBe(0);
    for (const name of drills) {
      const result = await session.client.callTool({ name, arguments: SMALL_RUN[name] }, undefined, { timeout: 600_000 });
      expect(result.isError, `${name}: ${textOf(result)}`).toBeFalsy();
      if (name === "drill_split_brain") {
        // Through the bundled server too, the cut-off master's refusals (NOREPLICAS) are
        // failed writes, not unknown ones (the checker's distinction, lost once to minified class names).
        const out = result.structuredContent as { scenarios: { scenario: string; runs: { failed: number }[] }[] };
        expect(out.scenarios.map((s) => [s.scenario, s.runs[0].failed > 0])).toEqual(out.scenarios.map((s) => [s.scenario, true]));
      }
      const left = await settledHandles(session.pid, idle);
      // A client left open shows as a tcp handle, or as a referenced timer once its server is gone (a reconnect loop).
      expect({ name, ...leakView(left), fdsOverIdle: Math.max(0, left.fds - idle.fds), live: left.live }).toEqual({ name, ...leakView(idle), live: expect.anything() });
    }
    // Cancelled once its first run is reported: the second run's lab is starting or running.
    const cancel = new AbortController();
    const cancelled = session.client.callTool({ name: "drill_sentinel_failover", arguments: { runs: 2, warmupMs: 500, settleMs: 1000, failoverDetector: "on" } }, undefined, {
      timeout: 600_000,
      signal: cancel.signal,
      onprogress: () => cancel.abort(),
    });
    await expect(cancelled).rejects.toThrow(/abort/i);
    // The server finishes the cancelled call (stops its lab) after answering; wait for it.
    for (let i = 0; i < 120 && (await listLabs()).length > 0; i++) await sleep(250);
    const afterCancel = await settledHandles(session.pid, idle);
    expect({ name: "cancelled drill_sentinel_failover", ...leakView(afterCancel), fdsOverIdle: Math.max(0, afterCancel.fds - idle.fds), live: afterCancel.live }).toEqual({ name: "cancelled drill_sentinel_failover", ...leakView(idle), live: expect.anything() });
    expect((await session.client.listTools()).tools.length).toBeGreaterThan(0);
    expect(await listLabs()).toEqual([]);
  });
});
