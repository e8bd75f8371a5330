// Issue 9, item 7: a hostile server answering `$99999999999` and streaming bytes cannot
// grow our memory: the connection is closed past the reply limit with one sentence, in
// the CLI and in the MCP server (which stays up, its memory bounded). The peak RSS bound
// here is generous (the bench, bench/hostile-reply.ts, prints the real numbers); the
// code before the limit reached gigabytes.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peakRss, startHostileServer, watchPeakRss, type HostileServer } from "../bench/hostile-server.js";
import { connect } from "../src/redis/connection.js";
import { useTempLabHome } from "./helpers/env.js";
import { CLI } from "./helpers/cli.js";
import { stdioClient, textOf } from "./helpers/mcp-client.js";

useTempLabHome();
const SENTENCE = /sent more than 8 MiB for one reply, so its connection was closed\. No Redis reply to these commands is that large/;
const BOUND = 400 * 1024 * 1024;
let hostile: HostileServer;

beforeAll(async () => {
  hostile = await startHostileServer();
});
afterAll(() => hostile.close());

describe("a hostile server streaming an endless reply", () => {
  it("connect() fails with one sentence once the reply passes the limit", async () => {
    await expect(connect(hostile.address)).rejects.toMatchObject({ code: "reply_too_large", message: expect.stringMatching(/sent more than 8 MiB/) });
  });

  it("the CLI's cluster check closes the connection, says so in one sentence, and stays small", async () => {
    const child = spawn(process.execPath, [CLI, "cluster", "check", hostile.address], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number>((r) => child.on("exit", (code) => r(code ?? 1)));
    const peak = await watchPeakRss(child.pid!, exited);
    expect(await exited).toBe(1);
    expect(stderr).toMatch(SENTENCE);
    expect(stderr).not.toMatch(/Internal error|report/);
    expect(peak).toBeLessThan(BOUND);
  });

  it("the MCP server answers the call with that sentence and keeps serving, its memory bounded", async () => {
    const s = await stdioClient();
    try {
      const pid = (s.client.transport as unknown as { pid: number }).pid;
      for (const name of ["cluster_check", "cluster_info"]) {
        const r = await s.client.callTool({ name, arguments: { nodes: [hostile.address] } });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(SENTENCE);
      }
      expect((await s.client.callTool({ name: "lab_list", arguments: {} })).isError).toBeFalsy();
      expect(peakRss(pid)).toBeLessThan(BOUND);
    } finally {
      await s.client.close();
    }
  });
});
