// Red team: hostile replies to the replication and Sentinel views. A server that says it
// has 20,000 replicas (INFO replication), a sentinel that knows 20,000 other sentinels
// or monitors 5,000 masters: before the fix every one was admitted, connected to and
// listed, so one reply bought tens of thousands of connections and an answer of
// megabytes. The views follow at most MAX_VIEW_NODES peers, as the cluster view does,
// and a sentinel's masters are read up to the same bound.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invokeTool } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { MAX_VIEW_NODES } from "../src/topology/read-cluster-view.js";
import { replicationCheck } from "../tools/replication/replication-check.js";
import { sentinelCheck } from "../tools/sentinel/sentinel-check.js";
import { useTempLabHome } from "./helpers/env.js";
import { startFakeRedis, type FakeRedis } from "./helpers/fake-redis.js";

useTempLabHome();
const MANY = 20_000;
// Nothing listens on 127.0.99.1: every peer the hostile server names is refused at once.
const NOWHERE = "127.0.99.1";
let master: FakeRedis, sentinel: FakeRedis, masters: FakeRedis;

const info = (extra: string) => `# Server\r\nredis_version:7.0.15\r\nrun_id:${"a".repeat(40)}\r\nredis_mode:standalone\r\n# Replication\r\nrole:master\r\n${extra}master_repl_offset:100\r\n`;
const replicaLines = Array.from({ length: MANY }, (_, i) => `slave${i}:ip=${NOWHERE},port=${1 + i},state=online,offset=100,lag=0\r\n`).join("");
const masterFields = (name: string) => ["name", name, "ip", NOWHERE, "port", "6379", "runid", "b".repeat(40), "flags", "master", "quorum", "2", "num-slaves", "0", "num-other-sentinels", String(MANY), "config-epoch", "0", "down-after-milliseconds", "30000", "failover-timeout", "180000", "parallel-syncs", "1"];

function fakeSentinel(masterCount: number, peers: number) {
  return startFakeRedis((cmd) => {
    const [name, sub] = [cmd[0].toUpperCase(), cmd[1]?.toUpperCase()];
    if (name === "INFO") return "# Server\r\nredis_version:7.0.15\r\nredis_mode:sentinel\r\n# Sentinel\r\nsentinel_tilt:0\r\n";
    if (name === "SENTINEL" && sub === "MYID") return "c".repeat(40);
    if (name === "SENTINEL" && sub === "MASTERS") return Array.from({ length: masterCount }, (_, i) => masterFields(`m${i}`));
    if (name === "SENTINEL" && sub === "MASTER") return masterFields(cmd[2]);
    if (name === "SENTINEL" && sub === "REPLICAS") return [];
    if (name === "SENTINEL" && sub === "SENTINELS") return Array.from({ length: peers }, (_, i) => ["name", `s${i}`, "ip", NOWHERE, "port", String(1 + i), "runid", "d".repeat(40), "flags", "sentinel"]);
    if (name === "SENTINEL" && sub === "CKQUORUM") return "OK";
    return undefined;
  });
}

beforeAll(async () => {
  master = await startFakeRedis((cmd) => (cmd[0].toUpperCase() === "INFO" ? info(`connected_slaves:${MANY}\r\n${replicaLines}`) : undefined));
  sentinel = await fakeSentinel(1, MANY);
  masters = await fakeSentinel(5000, 0);
});

afterAll(async () => {
  await Promise.all([master?.close(), sentinel?.close(), masters?.close()]);
});

const call = (tool: Parameters<typeof invokeTool>[0], args: Record<string, unknown>) =>
  invokeTool(tool, args, { ctx: { progress: () => {}, signal: AbortSignal.timeout(120_000), targets: createResolver({ allowAdhocMutations: true }) } });

describe("a hostile node that names thousands of peers", () => {
  it(`replication_check follows at most ${MAX_VIEW_NODES} of a master's ${MANY} replicas and says where it stopped`, async () => {
    const r = await call(replicationCheck, { nodes: [master.address] });
    const text = JSON.stringify(r);
    expect(text.length).toBeLessThan(2_000_000);
    const unreachable = r.ok ? (r.output as { unreachable?: unknown[] }).unreachable ?? [] : [];
    expect(unreachable.length).toBeLessThanOrEqual(MAX_VIEW_NODES + 1);
    expect(text).toContain(`the view stops at ${MAX_VIEW_NODES} nodes`);
  });

  it(`sentinel_check follows at most ${MAX_VIEW_NODES} of ${MANY} sentinels a sentinel names`, async () => {
    const r = await call(sentinelCheck, { nodes: [sentinel.address] });
    const text = JSON.stringify(r);
    expect(text.length).toBeLessThan(2_000_000);
    expect(text).toContain(`the view stops at ${MAX_VIEW_NODES} nodes`);
  });

  it(`a sentinel that monitors 5000 masters is read for at most ${MAX_VIEW_NODES} of them`, async () => {
    const before = masters.commands().length;
    await call(sentinelCheck, { nodes: [masters.address], name: "m1" });
    const all = await call(sentinelCheck, { nodes: [masters.address] });
    const asked = masters.commands().slice(before).filter((c) => c[0] === "SENTINEL" && c[1]?.toUpperCase() === "SENTINELS").length;
    // Two calls, each reading the view at most twice (all names, then the chosen one): 5000 per read before.
    expect(asked).toBeLessThanOrEqual(4 * MAX_VIEW_NODES);
    // Without a name it asks which one, in one clipped sentence, not 5000 names.
    expect(all.ok ? "" : all.error.message.length).toBeLessThanOrEqual(2100);
  });
});
