// A node that reports more peers than any real set has (a master listing 1500 replicas,
// a sentinel listing 1500 other sentinels) is not followed past MAX_VIEW_NODES: the
// replication and Sentinel views, like the cluster view, stop there and say so once.
// The lying peers are a RESP server (no redis-server can be made to report them); the
// addresses it lists are on 127.0.213.7, where nothing listens, so each is refused at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodePool } from "../src/redis/connection.js";
import { uniformAccess } from "../src/redis/node-access.js";
import { MAX_VIEW_NODES } from "../src/topology/peer-budget.js";
import { readReplicationView } from "../src/topology/replication-view.js";
import { readSentinelView } from "../src/topology/sentinel-view.js";
import { ok, startRespServer, type Resp, type RespServer } from "./helpers/resp-server.js";

const LISTED = 1500;
const peer = (i: number) => ({ ip: "127.0.213.7", port: 20000 + i });

function masterInfo(): string {
  const slaves = Array.from({ length: LISTED }, (_, i) => `slave${i}:ip=${peer(i).ip},port=${peer(i).port},state=online,offset=0,lag=0`);
  return ["# Server", "redis_version:7.0.15", `run_id:${"a".repeat(40)}`, "uptime_in_seconds:10", "# Replication", "role:master", `connected_slaves:${LISTED}`, ...slaves, "master_repl_offset:0", ""].join("\r\n");
}

const fields = (o: Record<string, string | number>): string[] => Object.entries(o).flatMap(([k, v]) => [k, String(v)]);

function sentinelAnswer(args: string[]): Resp {
  if (args[0] === "INFO") return ["# Server", "redis_mode:sentinel", "# Sentinel", "sentinel_tilt:0", ""].join("\r\n");
  if (args[0] !== "SENTINEL") return ok;
  switch (args[1].toUpperCase()) {
    case "MYID":
      return "b".repeat(40);
    case "MASTERS":
      return [fields({ name: "mymaster", ip: "127.0.213.8", port: 6379, runid: "", flags: "master", quorum: 2, "num-slaves": 0, "num-other-sentinels": LISTED, "config-epoch": 0, "down-after-milliseconds": 1000, "failover-timeout": 10000, "parallel-syncs": 1 })];
    case "REPLICAS":
      return [];
    case "SENTINELS":
      return Array.from({ length: LISTED }, (_, i) => fields({ name: String(i).padStart(40, "c"), ip: peer(i).ip, port: peer(i).port, runid: String(i).padStart(40, "c"), flags: "sentinel" }));
    case "CKQUORUM":
      return { status: "OK 2 usable Sentinels" };
    default:
      return ok;
  }
}

let master: RespServer;
let sentinel: RespServer;
beforeAll(async () => {
  master = await startRespServer((args) => (args[0] === "INFO" ? masterInfo() : args[0] === "CONFIG" ? [] : ok));
  sentinel = await startRespServer(sentinelAnswer);
});
afterAll(async () => {
  await master?.close();
  await sentinel?.close();
});

const capNote = expect.objectContaining({ error: expect.stringMatching(new RegExp(`^not read: the view stops at ${MAX_VIEW_NODES} nodes \\(.+ lists more\\)$`)) });

describe("views stop at MAX_VIEW_NODES", () => {
  it("a master listing 1500 replicas: the replication view follows 999 of them and notes the rest once", async () => {
    const pool = new NodePool(uniformAccess({}));
    try {
      const view = await readReplicationView([master.address], { pool });
      expect(view.nodes.map((n) => n.address)).toEqual([master.address]);
      expect(view.unreachable).toHaveLength(MAX_VIEW_NODES);
      expect(view.unreachable.filter((u) => u.error.startsWith("not read"))).toEqual([capNote]);
    } finally {
      await pool.close();
    }
  });

  it("a sentinel listing 1500 other sentinels: the Sentinel view stops the same way", async () => {
    const pool = new NodePool(uniformAccess({}));
    try {
      const view = await readSentinelView([sentinel.address], { pool });
      expect(view.sentinels.map((s) => s.address)).toEqual([sentinel.address]);
      expect(view.unreachable).toHaveLength(MAX_VIEW_NODES);
      expect(view.unreachable.filter((u) => u.error.startsWith("not read"))).toEqual([capNote]);
    } finally {
      await pool.close();
    }
  });

  it("maxNodes lowers the limit", async () => {
    const pool = new NodePool(uniformAccess({}));
    try {
      const view = await readReplicationView([master.address], { pool, maxNodes: 5 });
      expect(view.unreachable).toHaveLength(5);
      expect(view.unreachable.filter((u) => u.error.startsWith("not read"))).toEqual([expect.objectContaining({ error: expect.stringMatching(/stops at 5 nodes/) })]);
    } finally {
      await pool.close();
    }
  });
});
