// INFO / CLUSTER INFO parsing on replies captured from redis-server 7.0.15, plus malformed input.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BadReplyError } from "../src/redis/bad-reply.js";
import { keysFromInfo, parseClusterInfo, parseInfo, replicationFromInfo } from "../src/redis/parse-info.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/redis-7.0/${name}`, import.meta.url), "utf8");

describe("parseInfo", () => {
  it("reads every section of INFO everything with lowercased names", () => {
    const info = parseInfo(fixture("info-master.txt"));
    expect(Object.keys(info)).toEqual([
      "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
      "commandstats", "errorstats", "latencystats", "cluster", "keyspace",
    ]);
    expect(info.server.values.redis_version).toBe("7.0.15");
    expect(info.server.values.redis_mode).toBe("cluster");
    expect(info.server.values.os).toBe("Linux 6.18.44-fc-v595 x86_64"); // spaces survive
    expect(info.cluster.values.cluster_enabled).toBe("1");
    expect(info.modules.values).toEqual({});
  });

  it("splits composite values (slaveN, dbN, cmdstat_*, latency percentiles)", () => {
    const info = parseInfo(fixture("info-master.txt"));
    expect(info.replication.composite.slave0).toEqual({ ip: "127.0.0.1", port: "21112", state: "online", offset: "2191", lag: "0" });
    expect(info.keyspace.composite.db0).toEqual({ keys: "66", expires: "1", avg_ttl: "999081" });
    expect(info.commandstats.composite["cmdstat_cluster|nodes"]).toMatchObject({ calls: expect.stringMatching(/^\d+$/) });
    expect(Object.keys(info.latencystats.composite).every((k) => k.startsWith("latency_percentiles_usec_"))).toBe(true);
    // Plain values are not split.
    expect(info.server.composite.executable).toBeUndefined();
    expect(info.replication.composite.master_replid).toBeUndefined();
  });

  it.each([
    ["CRLF line ends", "# Server\r\nredis_version:7.0.15\r\n", { server: { values: { redis_version: "7.0.15" }, composite: {} } }],
    ["lines before a header", "cluster_state:ok\n", { default: { values: { cluster_state: "ok" }, composite: {} } }],
    ["empty value", "# Server\nconfig_file:\n", { server: { values: { config_file: "" }, composite: {} } }],
    ["colon inside the value", "# Server\nexecutable:/a:b\n", { server: { values: { executable: "/a:b" }, composite: {} } }],
  ])("%s", (_name, text, expected) => {
    expect(parseInfo(text)).toEqual(expected);
  });

  it.each([["no colon", "# Server\nnonsense\n"], ["empty key", "# Server\n:value\n"]])("rejects a line with %s", (_n, text) => {
    expect(() => parseInfo(text)).toThrow(BadReplyError);
    expect(() => parseInfo(text)).toThrow(/line 2 is not key:value/);
  });
});

describe("replicationFromInfo", () => {
  it.each([
    ["info-master.txt", { role: "master", offset: 2191, connectedReplicas: [{ address: "127.0.0.1:21112", state: "online", offset: 2191, lag: 0 }] }],
    ["info-master-wait-bgsave.txt", { role: "master", offset: 2191, connectedReplicas: [{ address: "127.0.0.1:21244", state: "wait_bgsave", offset: 0, lag: 0 }] }],
    ["info-replica.txt", { role: "replica", masterHost: "127.0.0.1", masterLinkStatus: "up", masterSyncInProgress: false, connectedReplicas: [] }],
    ["info-replica-link-down.txt", { role: "replica", masterHost: "127.0.0.1", masterPort: 21240, masterLinkStatus: "down", masterLastIoSecondsAgo: -1, offset: 0 }],
    ["info-empty.txt", { role: "master", offset: 0, connectedReplicas: [] }],
  ])("%s", (file, expected) => {
    const r = replicationFromInfo(fixture(file));
    expect(r).toMatchObject(expected);
    expect(r.replid).toMatch(/^[0-9a-f]{40}$/);
  });

  it("a replica's offset is slave_repl_offset", () => {
    const info = parseInfo(fixture("info-replica.txt"));
    expect(replicationFromInfo(info).offset).toBe(Number(info.replication.values.slave_repl_offset));
  });

  it.each([
    ["no role", "# Replication\nconnected_slaves:0\n", /role '\(missing\)'/],
    ["odd role", "# Replication\nrole:sentinel\n", /role 'sentinel'/],
    ["master without offset", "# Replication\nrole:master\n", /master_repl_offset is missing/],
    ["replica without link status", "# Replication\nrole:slave\nmaster_host:h\nmaster_port:1\nslave_repl_offset:0\n", /master_link_status/],
    ["replica with a bad port", "# Replication\nrole:slave\nmaster_host:h\nmaster_port:x\nmaster_link_status:up\nslave_repl_offset:0\n", /master_port 'x'/],
    ["slaveN without port", "# Replication\nrole:master\nslave0:ip=1.2.3.4,state=online\nmaster_repl_offset:0\n", /slave0 lacks ip or port/],
  ])("rejects %s", (_name, text, message) => {
    expect(() => replicationFromInfo(text)).toThrow(BadReplyError);
    expect(() => replicationFromInfo(text)).toThrow(message);
  });
});

describe("keysFromInfo", () => {
  it.each([
    ["info-master.txt", 66],
    ["info-replica.txt", 74],
    ["info-empty.txt", 0],
  ])("%s has %i keys", (file, keys) => {
    expect(keysFromInfo(fixture(file))).toBe(keys);
  });

  it("sums every database", () => {
    expect(keysFromInfo("# Keyspace\ndb0:keys=3,expires=0,avg_ttl=0\ndb5:keys=4,expires=1,avg_ttl=10\n")).toBe(7);
  });

  it("rejects a db line without a key count", () => {
    expect(() => keysFromInfo("# Keyspace\ndb0:expires=0\n")).toThrow(/db0 has no key count/);
  });
});

describe("parseClusterInfo", () => {
  it.each([
    ["cluster-info-ok.txt", { state: "ok", slotsAssigned: 16384, slotsOk: 16384, slotsPfail: 0, slotsFail: 0, knownNodes: 6, size: 3 }],
    // 7.0 reports cluster_size:1 for a lone empty node.
    ["cluster-info-empty.txt", { state: "fail", slotsAssigned: 0, knownNodes: 1, size: 1, currentEpoch: 0, myEpoch: 0 }],
    ["cluster-info-delslots.txt", { state: "fail", slotsAssigned: 16383, slotsOk: 16383, knownNodes: 6 }],
    ["cluster-info-fail.txt", { state: "fail", slotsAssigned: 16384, slotsFail: 5462, slotsOk: 10922 }],
  ])("%s", (file, expected) => {
    expect(parseClusterInfo(fixture(file))).toMatchObject(expected);
  });

  it.each([
    ["no state", "cluster_slots_assigned:0\n", /cluster_state '\(missing\)'/],
    ["odd state", "cluster_state:maybe\n", /cluster_state 'maybe'/],
    ["missing epoch", fixture("cluster-info-ok.txt").replace(/cluster_current_epoch:\d+\r?\n/, ""), /cluster_current_epoch is missing/],
    ["non-numeric count", fixture("cluster-info-ok.txt").replace(/cluster_known_nodes:\d+/, "cluster_known_nodes:six"), /cluster_known_nodes 'six'/],
  ])("rejects %s", (_name, text, message) => {
    expect(() => parseClusterInfo(text)).toThrow(BadReplyError);
    expect(() => parseClusterInfo(text)).toThrow(message);
  });
});
