// CLUSTER SLOTS / CLUSTER SHARDS parsing on replies captured (as ioredis returns them) from
// redis-server 7.0.15, plus malformed shapes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BadReplyError } from "../src/redis/bad-reply.js";
import { parseClusterShards, parseClusterSlots } from "../src/redis/parse-cluster-slots.js";
import { formatRanges } from "../src/redis/slots.js";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/redis-7.0/${name}`, import.meta.url), "utf8"));
const ID = "1d5993f01b87ee945ae15859e2b4022a09652925";

describe("parseClusterSlots", () => {
  it("a 3+3 cluster: ranges, masters, replicas, hostname metadata", () => {
    const slots = parseClusterSlots(fixture("cluster-slots.json"));
    expect(slots.map((s) => formatRanges([s]))).toEqual(["0-5460", "5461-10922", "10923-16383"]);
    expect(slots[0].master).toEqual({ host: "127.0.0.1", port: 21108, id: ID, metadata: { hostname: "node0.lab" } });
    expect(slots.every((s) => s.replicas.length === 1)).toBe(true);
    expect(slots[1].replicas[0].metadata).toEqual({});
  });

  it("replicas that have not synced yet are left out by the server", () => {
    const slots = parseClusterSlots(fixture("cluster-slots-no-synced-replicas.json"));
    expect(slots.map((s) => s.replicas.length)).toEqual([0, 0, 0]);
  });

  it("a slot DELSLOTS removed leaves a gap in the ranges", () => {
    const slots = parseClusterSlots(fixture("cluster-slots-delslots.json"));
    expect(formatRanges(slots)).toBe("0-5460,5461-10922,10923-16382");
  });

  it("accepts adjacent ranges in any order", () => {
    const slots = parseClusterSlots([[11, 20, ["h", 2, ID]], [0, 10, ["h", 1, ID]]]);
    expect(slots.map((s) => [s.start, s.end])).toEqual([[11, 20], [0, 10]]);
  });

  it("accepts numbers sent as strings and Buffers", () => {
    const [entry] = parseClusterSlots([["0", "16383", [Buffer.from("10.0.0.1"), "6379", ID]]]);
    expect(entry).toMatchObject({ start: 0, end: 16383, master: { host: "10.0.0.1", port: 6379, id: ID, metadata: {} }, replicas: [] });
  });

  it.each([
    ["not an array", "OK", /reply is not an array/],
    ["entry without master", [[0, 10]], /lacks start, end and master/],
    ["slot out of range", [[0, 16384, ["h", 1, ID]]], /slot range 0-16384/],
    ["reversed range", [[10, 5, ["h", 1, ID]]], /slot range 10-5/],
    ["short node entry", [[0, 5, ["h", 1]]], /fewer than 3 fields/],
    ["port not a number", [[0, 5, ["h", "x", ID]]], /is not \[host, port, id\]/],
    ["odd metadata", [[0, 5, ["h", 1, ID, ["hostname"]]]], /metadata of .* is not a key\/value list/],
    ["overlapping ranges", [[0, 100, ["h", 1, ID]], [50, 200, ["h", 2, ID]]], /slot ranges 0-100 and 50-200 overlap/],
    ["a range inside another, out of order", [[100, 200, ["h", 1, ID]], [0, 16383, ["h", 2, ID]]], /slot ranges 0-16383 and 100-200 overlap/],
    ["one slot listed twice", [[5, 5, ["h", 1, ID]], [5, 5, ["h", 2, ID]]], /slot ranges 5-5 and 5-5 overlap/],
    ["ranges that touch at one slot", [[0, 10, ["h", 1, ID]], [10, 20, ["h", 2, ID]]], /slot ranges 0-10 and 10-20 overlap/],
  ])("rejects %s", (_name, reply, message) => {
    expect(() => parseClusterSlots(reply)).toThrow(BadReplyError);
    expect(() => parseClusterSlots(reply)).toThrow(message);
  });
});

describe("parseClusterShards", () => {
  it("a 3+3 cluster with a hostname", () => {
    const shards = parseClusterShards(fixture("cluster-shards.json"));
    expect(shards).toHaveLength(3);
    expect(formatRanges(shards.flatMap((s) => s.slots).sort((a, b) => a.start - b.start))).toBe("0-5460,5461-10922,10923-16383");
    for (const s of shards) {
      expect(s.nodes.map((n) => n.role)).toEqual(["master", "replica"]);
      expect(s.nodes.every((n) => n.health === "online")).toBe(true);
    }
    const named = shards.flatMap((s) => s.nodes).find((n) => n.id === ID)!;
    expect(named).toMatchObject({ hostname: "node0.lab", ip: "127.0.0.1", endpoint: "127.0.0.1", port: 21108 });
    expect(named.tlsPort).toBeUndefined();
  });

  it("replicas still syncing report health loading and offset 0", () => {
    const replicas = parseClusterShards(fixture("cluster-shards-loading.json")).flatMap((s) => s.nodes.filter((n) => n.role === "replica"));
    expect(replicas.map((r) => [r.health, r.replicationOffset])).toEqual([["loading", 0], ["loading", 0], ["loading", 0]]);
  });

  it("after failover: the failed master is a shard with no slots and health failed (7.0 says 'fail')", () => {
    const shards = parseClusterShards(fixture("cluster-shards-after-failover.json"));
    const dead = shards.find((s) => s.slots.length === 0)!;
    expect(dead.nodes).toMatchObject([{ role: "master", health: "failed" }]);
    const promoted = shards.find((s) => formatRanges(s.slots) === "5461-10922")!;
    expect(promoted.nodes).toMatchObject([{ role: "master", health: "online" }]);
  });

  it("an open slot does not show in CLUSTER SHARDS (CLUSTER NODES is the source for it)", () => {
    const shards = parseClusterShards(fixture("cluster-shards-open-slot.json"));
    expect(formatRanges(shards.flatMap((s) => s.slots).sort((a, b) => a.start - b.start))).toBe("0-5460,5461-10922,10923-16383");
  });

  const node = (over: Record<string, unknown> = {}) =>
    Object.entries({ id: ID, port: 1, ip: "h", endpoint: "h", role: "master", "replication-offset": 0, health: "online", ...over })
      .filter(([, v]) => v !== undefined)
      .flat();
  it.each([
    ["not an array", null, /reply is not an array/],
    ["odd key/value list", [["slots"]], /a shard is not a key\/value list/],
    ["odd slot list", [["slots", [0], "nodes", []]], /start\/end pairs/],
    ["no nodes", [["slots", [0, 5]]], /no node list/],
    ["bad role", [["slots", [0, 5], "nodes", [node({ role: "leader" })]]], /role 'leader'/],
    ["bad health", [["slots", [0, 5], "nodes", [node({ health: "sick" })]]], /health 'sick'/],
    ["no port at all", [["slots", [0, 5], "nodes", [node({ port: undefined })]]], /neither port nor tls-port/],
    ["missing offset", [["slots", [0, 5], "nodes", [node({ "replication-offset": undefined })]]], /replication-offset/],
    ["two shards claiming one slot", [["slots", [0, 5], "nodes", [node()]], ["slots", [5, 9], "nodes", [node()]]], /slot ranges 0-5 and 5-9 overlap/],
  ])("rejects %s", (_name, reply, message) => {
    expect(() => parseClusterShards(reply)).toThrow(BadReplyError);
    expect(() => parseClusterShards(reply)).toThrow(message);
  });

  it("accepts a TLS-only node", () => {
    const [shard] = parseClusterShards([["slots", [0, 16383], "nodes", [node({ port: undefined, "tls-port": 6380 })]]]);
    expect(shard.nodes[0]).toMatchObject({ tlsPort: 6380 });
    expect(shard.nodes[0].port).toBeUndefined();
  });
});
