// Long tools as MCP tasks, through the SDK's real Client over stdio: listed with
// taskSupport "optional", started with `task`, polled, read, and cancelled; progress
// notifications either way; a cancelled reshard leaves no slot open and every key in place.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallToolResultSchema, type Task } from "@modelcontextprotocol/sdk/types.js";
import { CreateTaskResultSchema } from "@modelcontextprotocol/sdk/experimental/tasks";
import { useTempLabHome } from "./helpers/env.js";
import { stdioClient, type StdioSession } from "./helpers/mcp-client.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";
import { compareKeys, dataCluster, type DataCluster } from "./helpers/cluster-data.js";
import { parseClusterNodes } from "../src/redis/parse-cluster-nodes.js";

useTempLabHome();
let c: DataCluster;
let s: StdioSession;
beforeAll(async () => {
  c = await dataCluster("tasks", { nodes: 3, replicas: 0, keys: 20000 });
  s = await stdioClient();
});
afterAll(async () => {
  await s?.client.close();
  c?.close();
});

const masters = async () => parseClusterNodes(String(await c.client(c.members[0]).call("CLUSTER", "NODES"))).filter((e) => e.role === "master").sort((a, b) => a.port - b.port);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(taskId: string, done: (t: Task) => boolean): Promise<Task> {
  for (;;) {
    const t = await s.client.experimental.tasks.getTask(taskId);
    if (done(t)) return t;
    await sleep(50);
  }
}

describe("MCP tasks", () => {
  it("lists the long tools with taskSupport optional, the rest forbidden", async () => {
    const { tools } = await s.client.listTools();
    const support = Object.fromEntries(tools.map((t) => [t.name, t.execution?.taskSupport]));
    expect(support.cluster_reshard).toBe("optional");
    expect(support.cluster_rebalance).toBe("optional");
    expect(support.cluster_del_node).toBe("optional");
    expect(support.cluster_check).toBe("forbidden");
  });

  it("a reshard as a task: created at once, progress notified, polled to completed, result read", async () => {
    const [a, b] = await masters();
    const progress: number[] = [];
    const created = await s.client.request(
      { method: "tools/call", params: { name: "cluster_reshard", arguments: { lab: "tasks", from: a.id, to: b.id, slots: 2000 }, task: { ttl: 60_000 } } },
      CreateTaskResultSchema,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(created.task.status).toBe("working");
    const done = await until(created.task.taskId, (t) => t.status !== "working");
    expect(done.status).toBe("completed");
    const result = await s.client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ applied: true, ok: true, slotsMoved: 2000 });
    expect(progress.length).toBeGreaterThan(0);
    expect((await redisCliClusterCheck(c.members[0])).ok).toBe(true);
    expect(await compareKeys(c.members, c.expected, c.client)).toEqual([]);
  });

  it("a cancelled reshard task stops with every slot closed and every key in place", async () => {
    const [a, b] = await masters();
    let moving: () => void = () => undefined;
    const started = new Promise<void>((r) => (moving = r));
    const created = await s.client.request(
      { method: "tools/call", params: { name: "cluster_reshard", arguments: { lab: "tasks", from: b.id, to: a.id, slots: 6000, pipeline: 5 }, task: { ttl: 60_000 } } },
      CreateTaskResultSchema,
      { onprogress: (p) => /^move: [1-9]\d*\//.test(p.message ?? "") && moving() },
    );
    // Cancel once slots are moving.
    await started;
    const cancelled = await s.client.experimental.tasks.cancelTask(created.task.taskId);
    expect(cancelled.status).toBe("cancelled");
    expect((await s.client.experimental.tasks.getTask(created.task.taskId)).status).toBe("cancelled");
    // The call ends its batches in flight; then nothing is open.
    for (let i = 0; i < 200; i++) {
      const open = (await masters()).some((m) => m.migrating.length || m.importing.length);
      const all = await Promise.all(c.members.map((m) => c.client(m).call("CLUSTER", "NODES").then(String)));
      if (!open && !all.some((t) => /\[\d+-[<>]-/.test(t))) break;
      await sleep(50);
    }
    await sleep(500);
    const check = await redisCliClusterCheck(c.members[0]);
    expect(check.ok, check.output).toBe(true);
    expect(await compareKeys(c.members, c.expected, c.client)).toEqual([]);
  });

  it("without task, the same tool answers as a plain call", async () => {
    const [a, b] = await masters();
    const r = await s.client.callTool({ name: "cluster_reshard", arguments: { lab: "tasks", from: a.id, to: b.id, slots: 10, dryRun: true } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ applied: false });
  });
});
