// The MCP server runs for as long as its client: a drill called through it must leave
// nothing behind (no socket, no timer holding the loop, no file descriptor, no lab), so
// the tenth call finds the server as the first did. Two drill runs through the SDK's
// real Client over stdio; after each, the server's open file descriptors (/proc) and its
// live libuv handles (a Node diagnostic report, taken on a signal) are read and compared.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { listLabs } from "../src/lab/index.js";
import { useTempLabHome } from "./helpers/env.js";
import { stdioClient, textOf, type StdioSession } from "./helpers/mcp-client.js";

useTempLabHome();
const reports = mkdtempSync(join(tmpdir(), "redis-pilot-mcp-report-"));

interface Handles {
  fds: number;
  /** Open TCP handles (a client still connected, or connecting). */
  tcp: number;
  /**
   * Referenced timer handles. Node keeps all JS timers on one libuv timer, referenced
   * while any of them is: an idle server holds none, a client left retrying holds one.
   */
  refTimers: number;
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
  let report: { libuv: Array<{ type: string; is_active: boolean; is_referenced: boolean }> } | undefined;
  while (!report) {
    try {
      report = JSON.parse(readFileSync(join(reports, file), "utf8"));
    } catch {
      await sleep(50); // still being written
    }
  }
  const live = report!.libuv.filter((h) => h.is_active);
  return { fds, tcp: live.filter((h) => h.type === "tcp").length, refTimers: live.filter((h) => h.type === "timer" && h.is_referenced).length };
}

describe("drills through a long-running MCP server", () => {
  let session: StdioSession;
  afterAll(async () => {
    await session?.client.close();
  });

  it("two drill runs leave the server's handles and descriptors where the first left them, and it still answers", { timeout: 180_000 }, async () => {
    session = await stdioClient([], {}, { NODE_OPTIONS: `--report-on-signal --report-signal=SIGUSR2 --report-directory=${reports}` });
    const idle = await handlesOf(session.pid);
    const drill = () => session.client.callTool({ name: "drill_switchover", arguments: { runs: 1, warmupMs: 200, settleMs: 300 } }, undefined, { timeout: 120_000 });
    const first = await drill();
    expect(first.isError, textOf(first)).toBeFalsy();
    const after1 = await handlesOf(session.pid);
    const second = await drill();
    expect(second.isError, textOf(second)).toBeFalsy();
    const after2 = await handlesOf(session.pid);
    // A client left open shows as a tcp handle, or as a referenced timer once its server is gone (a reconnect loop).
    for (const after of [after1, after2]) expect(after).toMatchObject({ tcp: 0, refTimers: 0 });
    expect(after2.fds).toBeLessThanOrEqual(Math.max(idle.fds, after1.fds));
    expect((await session.client.listTools()).tools.length).toBeGreaterThan(0);
    expect(await listLabs()).toEqual([]);
  });
});
