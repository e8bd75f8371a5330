// A client that cancels a long call (the SDK's `signal` request option sends
// notifications/cancelled) must leave nothing behind: lab_up stops every node it had
// started and frees the lab's name; cluster_create stops building and puts back the
// settings it lowered for the build. The client never sees the result of a cancelled
// call, so the server says on stderr how it ended, and the tests wait for that line.
import { existsSync, mkdirSync, readdirSync, readFileSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempLabHome } from "./helpers/env.js";
import { stdioClient, textOf, type StdioSession } from "./helpers/mcp-client.js";

const home = useTempLabHome();
let s: StdioSession;

beforeAll(async () => {
  s = await stdioClient();
});

afterAll(() => s?.client.close());

/** Pids of processes whose command line names a data dir of this lab (redis-server <dir>/node-N/redis.conf). */
function processesOfLab(lab: string): number[] {
  const marker = `${tmpdir()}/redis-pilot-${lab}-`;
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

describe("cancelling a tool call over stdio", () => {
  it("lab_up cancelled while its nodes start: every node stopped, no lab left", async () => {
    const lab = "mcp-cancel-up";
    const labs = join(home, "labs");
    mkdirSync(labs, { recursive: true });
    const controller = new AbortController();
    // lab_up claims the name on disk just before it starts the nodes: cancel right then.
    const watcher = watch(labs, (_, file) => {
      if (file === lab) controller.abort();
    });
    try {
      const call = s.client.callTool({ name: "lab_up", arguments: { name: lab, nodes: 24 } }, undefined, { signal: controller.signal, timeout: 60_000 });
      await expect(call).rejects.toThrow(/abort/i);
    } finally {
      watcher.close();
    }
    const log = await s.waitForStderr(/lab_up cancelled by the client: .*\n/);
    expect(log).toContain(`lab_up cancelled by the client: lab_up was cancelled; the 24 nodes it had started were stopped and lab ${lab} removed. Nothing is left running;`);

    expect(processesOfLab(lab)).toEqual([]);
    expect(readdirSync(tmpdir()).filter((d) => d.startsWith(`redis-pilot-${lab}-`))).toEqual([]);
    expect(existsSync(join(labs, lab))).toBe(false);
    expect((await s.client.callTool({ name: "lab_list", arguments: {} })).structuredContent).toEqual({ labs: [], broken: [] });
    const status = await s.client.callTool({ name: "lab_status", arguments: { name: lab } });
    expect(textOf(status)).toMatch(new RegExp(`^No lab named '${lab}' is running\\.`));
  });

  it("cluster_create cancelled mid-build: stops, and restores the settings it lowered", async () => {
    const lab = "mcp-cancel-create";
    const up = await s.client.callTool({ name: "lab_up", arguments: { name: lab, nodes: 6, nodeTimeoutMs: 3000 } });
    expect(up.isError, textOf(up)).toBeFalsy();
    const nodes = (up.structuredContent as { nodes: { address: string }[] }).nodes.map((n) => n.address);

    const controller = new AbortController();
    const call = s.client.callTool({ name: "cluster_create", arguments: { lab, replicas: 1 } }, undefined, {
      signal: controller.signal,
      timeout: 60_000,
      // The first progress is the preflight: nothing has changed yet, the build comes next.
      onprogress: () => controller.abort(),
    });
    await expect(call).rejects.toThrow(/abort/i);
    const log = await s.waitForStderr(/cluster_create cancelled by the client: .*\n/);
    expect(log).toContain("cluster_create cancelled by the client: The operation was cancelled. Check the servers with cluster_check before retrying.");

    // The build lowers cluster-node-timeout to 500 ms; a cancelled build must not leave it so.
    for (const address of nodes) {
      const [host, port] = [address.slice(0, address.lastIndexOf(":")), Number(address.slice(address.lastIndexOf(":") + 1))];
      const r = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await r.connect();
        expect(await r.config("GET", "cluster-node-timeout"), address).toEqual(["cluster-node-timeout", "3000"]);
      } finally {
        r.disconnect();
      }
    }
    const status = await s.client.callTool({ name: "lab_status", arguments: { name: lab } });
    expect(status.structuredContent).toMatchObject({ name: lab, running: 6 });
  });
});
