// Pure replication and sentinel code on hand-built views: each case lists exactly the
// finding codes a check must produce, and the plans' refusals word for word.
import { describe, expect, it } from "vitest";
import { checkReplication } from "../src/checks/replication-checks.js";
import { checkSentinels, majorityOf } from "../src/checks/sentinel-checks.js";
import { inSync } from "../src/ops/replication/attach.js";
import { linked, planAttach } from "../src/ops/replication/plan.js";
import { planPromote } from "../src/ops/replication/promote.js";
import { planMonitor, sentinelConfLines } from "../src/ops/sentinel/plan.js";
import { parseFieldList, parseMasterAddr, parseSentinelMaster } from "../src/redis/parse-sentinel.js";
import type { ReplicationNode, ReplicationView } from "../src/topology/replication-view.js";
import type { MonitoredMaster, SentinelNode, SentinelView } from "../src/topology/sentinel-view.js";

interface N {
  port: number;
  master?: number;
  link?: "up" | "down";
  offset?: number;
  replicas?: { port: number; offset: number; lag?: number; state?: string }[];
  minReplicas?: number;
  readOnly?: boolean;
  save?: string;
  aof?: boolean;
  supervised?: string;
  keys?: number;
  cluster?: boolean;
  /** Port of the master whose history it continued (master_replid2). */
  splitFrom?: number;
  /** INFO's config_file: "" = started without one. */
  configFile?: string;
  zone?: string;
}

function node(n: N): ReplicationNode {
  return {
    address: `10.0.0.1:${n.port}`,
    ...(n.zone ? { zone: n.zone } : {}),
    runId: `run${n.port}`,
    replication:
      n.master === undefined
        ? { role: "master", offset: n.offset ?? 100, connectedReplicas: (n.replicas ?? []).map((r) => ({ address: `10.0.0.1:${r.port}`, state: r.state ?? "online", offset: r.offset, lag: r.lag ?? 0 })), replid: `id${n.port}`, ...(n.splitFrom ? { replid2: `id${n.splitFrom}` } : {}) }
        : { role: "replica", masterHost: "10.0.0.1", masterPort: n.master, masterLinkStatus: n.link ?? "up", offset: n.offset ?? 100, connectedReplicas: [] },
    settings: { minReplicasToWrite: n.minReplicas ?? 1, replicaReadOnly: n.readOnly ?? true, save: n.save ?? "3600 1", appendonly: n.aof ?? false, supervised: n.supervised ?? "no" },
    aofEnabled: n.aof ?? false,
    loading: false,
    keys: n.keys ?? 0,
    uptimeSeconds: 10,
    redisVersion: "7.0.15",
    clusterEnabled: n.cluster ?? false,
    ...(n.configFile !== undefined ? { configFile: n.configFile } : {}),
  };
}

/** The old multi-dc-sentinel shape: master and a local replica in z1, a replica in z2 and z3. */
const zoned = (minReplicas: number): N[] => [
  { port: 1, zone: "z1", minReplicas, replicas: [2, 3, 4].map((port) => ({ port, offset: 100 })) },
  { port: 2, master: 1, zone: "z1" },
  { port: 3, master: 1, zone: "z2" },
  { port: 4, master: 1, zone: "z3" },
];

const view = (ns: N[], unreachable: string[] = []): ReplicationView => ({ readAt: "", nodes: ns.map(node), unreachable: unreachable.map((address) => ({ address, error: "connection refused" })) });
const codes = (v: ReplicationView) => checkReplication(v).map((f) => f.code).sort();

describe("checkReplication", () => {
  const healthy: N[] = [{ port: 1, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1 }];
  const cases: [string, ReplicationView, string[]][] = [
    ["a healthy master and replica", view(healthy), []],
    ["link down", view([{ port: 1, replicas: [] }, { port: 2, master: 1, link: "down" }]), ["master_without_replica", "replica_link_down"]],
    ["lag in bytes over the limit", view([{ port: 1, offset: 5_000_000, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1 }]), ["replica_lagging"]],
    ["lag in seconds over the limit", view([{ port: 1, replicas: [{ port: 2, offset: 100, lag: 30 }] }, { port: 2, master: 1 }]), ["replica_lagging"]],
    ["a replica of a master nobody read", view([{ port: 2, master: 9 }]), ["replica_unknown_master"]],
    ["a replica of an unreachable master", view([{ port: 2, master: 9 }], ["10.0.0.1:9"]), ["node_unreachable"]],
    ["a chain", view([{ port: 1, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1 }, { port: 3, master: 2 }]), ["replication_chain"]],
    ["a loop", view([{ port: 2, master: 3 }, { port: 3, master: 2 }]), ["replication_loop", "replication_loop"]],
    ["a replica started without a config file (its role dies with a restart)", view([{ port: 1, replicas: [{ port: 2, offset: 100 }], configFile: "" }, { port: 2, master: 1, configFile: "" }]), ["role_not_persisted"]],
    ["a master split off from a master that still runs (detach, or an interrupted switchover)", view([{ port: 1, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1 }, { port: 3, splitFrom: 1 }]), ["master_without_replica", "split_from_master"]],
    ["a promoted master whose old master is a replica now (a finished switchover)", view([{ port: 2, splitFrom: 1, replicas: [{ port: 1, offset: 100 }] }, { port: 1, master: 2 }]), []],
    ["a replica with a config file", view([{ port: 1, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1, configFile: "/etc/redis.conf" }]), []],
    ["min-replicas-to-write 0 with replicas", view([{ port: 1, minReplicas: 0, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1 }]), ["min_replicas_off"]],
    ["a writable replica", view([{ port: 1, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1, readOnly: false }]), ["replica_writable"]],
    ["a master without persistence", view([{ port: 1, save: "", replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1 }]), ["master_no_persistence"]],
    // min-replicas-to-write counts a replica in the master's own zone: cut off with it, the master still has it.
    ["min-replicas-to-write 1 with a replica in the master's zone", view(zoned(1)), ["min_replicas_local"]],
    ["min-replicas-to-write 2 with one replica in the master's zone", view(zoned(2)), []],
    ["min-replicas-to-write 1, every replica in another zone", view([{ port: 1, zone: "z1", replicas: [{ port: 2, offset: 100 }, { port: 3, offset: 100 }] }, { port: 2, master: 1, zone: "z2" }, { port: 3, master: 1, zone: "z3" }]), []],
    ["no zones known", view([{ port: 1, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1 }]), []],
  ];
  it.each(cases)("%s", (_name, v, expected) => expect(codes(v)).toEqual(expected.sort()));

  it("a supervised master without persistence is an error, not a warning", () => {
    const f = checkReplication(view([{ port: 1, save: "", supervised: "systemd", replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1 }]));
    expect(f.find((x) => x.code === "master_no_persistence")?.severity).toBe("error");
  });
});

describe("inSync and linked: both ends of the link", () => {
  // After a full sync the replica says link up before its master lists it online (the
  // master reaps the RDB child in serverCron): attach returned there, and replication_check,
  // which counts the replicas the master lists online, found fewer than wanted.
  const cases: [string, N, N, boolean][] = [
    ["link up, listed online, at the master's offset", { port: 1, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1 }, true],
    ["link up, but the master still lists it wait_bgsave", { port: 1, replicas: [{ port: 2, offset: 0, state: "wait_bgsave" }] }, { port: 2, master: 1 }, false],
    ["link up, but the master still lists it send_bulk", { port: 1, replicas: [{ port: 2, offset: 0, state: "send_bulk" }] }, { port: 2, master: 1 }, false],
    ["link up, not listed by the master at all", { port: 1, replicas: [] }, { port: 2, master: 1 }, false],
    ["listed online, its own link down", { port: 1, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1, link: "down" }, false],
    ["linked, behind the master's offset", { port: 1, offset: 200, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 1 }, false],
    ["follows another master", { port: 1, replicas: [{ port: 2, offset: 100 }] }, { port: 2, master: 3 }, false],
  ];
  it.each(cases)("%s", (_, m, r, want) => {
    const master = node(m);
    expect(inSync(master, node(r), master.replication.offset)).toBe(want);
  });
  it("linked ignores offsets", () => {
    expect(linked(node({ port: 2, master: 1, offset: 5 }), node({ port: 1, offset: 900, replicas: [{ port: 2, offset: 5 }] }))).toBe(true);
  });
});

describe("planAttach refuses what cannot work", () => {
  it("a replica of itself", () => {
    expect(() => planAttach(node({ port: 1 }), [node({ port: 1 })])).toThrow("10.0.0.1:1 cannot be a replica of itself (it is the master 10.0.0.1:1).");
  });
  it("a loop", () => {
    expect(() => planAttach(node({ port: 2, master: 1 }), [node({ port: 1, replicas: [{ port: 2, offset: 1 }] })])).toThrow(/^Making 10.0.0.1:1 a replica of 10.0.0.1:2 would create a replication loop/);
  });
  it("a chain", () => {
    expect(() => planAttach(node({ port: 2, master: 1 }), [node({ port: 3 })], [node({ port: 1 })])).toThrow("10.0.0.1:2 is itself a replica of 10.0.0.1:1: its replicas would form a chain.");
  });
  it("cluster nodes", () => {
    expect(() => planAttach(node({ port: 1 }), [node({ port: 2, cluster: true })])).toThrow(/REPLICAOF is refused on cluster nodes/);
  });
  it("plans REPLICAOF, warns about discarded keys, and skips a replica already attached", () => {
    const plan = planAttach(node({ port: 1 }), [node({ port: 2, keys: 5 }), node({ port: 3, master: 1 })]);
    expect(plan.steps.map((s) => s.kind)).toEqual(["replicaof", "already", "config-rewrite", "config-rewrite", "wait-sync"]);
    expect(plan.warnings).toEqual(["10.0.0.1:2 holds 5 keys; REPLICAOF discards them and loads 10.0.0.1:1's dataset."]);
  });
  it("persists every replica's role with CONFIG REWRITE, and says which cannot keep it (no config file)", () => {
    const plan = planAttach(node({ port: 1 }), [node({ port: 2, configFile: "/data/2/redis.conf" }), node({ port: 3, configFile: "" })]);
    expect(plan.steps.filter((s) => s.kind === "config-rewrite").map((s) => s.description)).toEqual(["CONFIG REWRITE on 10.0.0.1:2 (/data/2/redis.conf), so it restarts as replica of 10.0.0.1:1"]);
    expect(plan.warnings).toEqual(["10.0.0.1:3 runs without a config file, so its new role (replica of 10.0.0.1:1) is not persisted: a restart brings it back as an empty master."]);
  });
});

describe("planPromote", () => {
  it("refuses while the old master answers as a master", () => {
    expect(() => planPromote("promote", node({ port: 2, master: 1 }), node({ port: 1 }), [])).toThrow(/is up and answering as a master/);
  });
  it("with the master gone, repoints the replicas that followed it", () => {
    const p = planPromote("promote", node({ port: 2, master: 1, link: "down" }), undefined, [node({ port: 3, master: 1, link: "down" }), node({ port: 4, master: 9 })]);
    expect(p.repoint).toEqual(["10.0.0.1:3"]);
    expect(p.steps.map((s) => `${s.kind} ${s.node}`)).toEqual(["replicaof-no-one 10.0.0.1:2", "replicaof 10.0.0.1:3", "config-rewrite 10.0.0.1:2", "config-rewrite 10.0.0.1:3"]);
  });
});

function sentinelNode(address: string, m: Partial<MonitoredMaster["master"]> & { ckOk?: boolean; replicas?: number[] }, ip = address.split(":")[0], zone?: string): SentinelNode {
  const master = { name: "mymaster", host: "10.0.0.1", port: 1, runId: "", flags: ["master"], quorum: 2, numReplicas: 1, numOtherSentinels: 2, configEpoch: 0, downAfterMs: 5000, failoverTimeoutMs: 60000, parallelSyncs: 1, ...m };
  const replicas = (m.replicas ?? [2]).map((p) => ({ name: `10.0.0.1:${p}`, host: "10.0.0.1", port: p, runId: "", flags: ["slave"], replicaPriority: 100, masterLinkStatus: "ok" }));
  return { address, ip, ...(zone ? { zone } : {}), myId: address, tilt: false, masters: { mymaster: { master, replicas, sentinels: [], ckquorum: { ok: m.ckOk ?? true, message: m.ckOk === false ? "NOQUORUM 1 usable Sentinels" : "OK 3 usable Sentinels" } } } };
}

const sview = (ss: SentinelNode[]): SentinelView => ({ readAt: "", sentinels: ss, unreachable: [] });
const scodes = (v: SentinelView, at?: { ip?: string; zone?: string }) => checkSentinels(v, "mymaster", at).map((f) => f.code).sort();

describe("checkSentinels", () => {
  const three = ["10.0.1.1:5", "10.0.2.1:5", "10.0.3.1:5"];
  it("a healthy three: only the quorum-versus-majority note", () => {
    expect(scodes(sview(three.map((a) => sentinelNode(a, {}))))).toEqual(["quorum_vs_majority"]);
  });
  it("disagreement on the master, CKQUORUM failing, a quorum above the sentinels", () => {
    const v = sview([sentinelNode(three[0], { quorum: 4 }), sentinelNode(three[1], { port: 9, quorum: 4 }), sentinelNode(three[2], { quorum: 4, ckOk: false })]);
    expect(scodes(v)).toEqual(["ckquorum_failed", "quorum_unreachable", "sentinel_disagree"]);
  });
  it("a majority of sentinels on the master's host, and all replicas at priority 0", () => {
    const v = sview([sentinelNode("10.0.0.1:5", {}), sentinelNode("10.0.0.1:6", {}), sentinelNode(three[2], {})]);
    v.sentinels[0].masters.mymaster.replicas[0].replicaPriority = 0;
    expect(scodes(v, { ip: "10.0.0.1" })).toEqual(["quorum_vs_majority", "replica_priority_all_zero", "sentinel_majority_with_master"]);
  });
  it("two sentinels are too few", () => {
    expect(scodes(sview([sentinelNode(three[0], { numOtherSentinels: 1 }), sentinelNode(three[1], { numOtherSentinels: 1 })]))).toEqual(["quorum_vs_majority", "too_few_sentinels"]);
  });
  it("majority of N", () => expect([1, 2, 3, 4, 5].map(majorityOf)).toEqual([1, 2, 2, 3, 3]));
});

describe("planMonitor and the sentinel parsers", () => {
  const s = (id: string, known?: string): SentinelNode => ({ address: id, myId: id, tilt: false, masters: known ? { mymaster: { master: { name: "mymaster", host: known.split(":")[0], port: Number(known.split(":")[1]), runId: "", flags: [], quorum: 2, numReplicas: 0, numOtherSentinels: 0, configEpoch: 0, downAfterMs: 1, failoverTimeoutMs: 1, parallelSyncs: 1 }, replicas: [], sentinels: [], ckquorum: { ok: true, message: "" } } } : {} });
  const settings = { name: "mymaster", master: "10.0.0.1:1", quorum: 2, downAfterMs: 5000, failoverTimeoutMs: 60000, parallelSyncs: 1 };
  it("refuses a quorum above the sentinels, a duplicate sentinel id, a name used for another master", () => {
    expect(() => planMonitor({ ...settings, quorum: 4 }, [s("a"), s("b"), s("c")])).toThrow("A quorum of 4 can never be reached with 3 sentinels: the master would never be judged down.");
    expect(() => planMonitor(settings, [s("a"), s("a")])).toThrow(/same sentinel id/);
    expect(() => planMonitor({ ...settings, quorum: 1 }, [s("a", "10.0.0.9:9")])).toThrow("Sentinel a already monitors 'mymaster' at 10.0.0.9:9, not 10.0.0.1:1.");
  });
  it("monitors new sentinels, updates ones that know it, and renders sentinel.conf without the password", () => {
    const p = planMonitor({ ...settings, auth: {} }, [s("a"), s("b", "10.0.0.1:1"), s("c")]);
    expect(p.sentinels.map((x) => x.action)).toEqual(["monitor", "update", "monitor"]);
    expect(p.configLines).toEqual(sentinelConfLines({ ...settings, auth: {} }));
    expect(p.configLines[4]).toBe("sentinel auth-pass mymaster ${REDIS_PASSWORD}");
  });
  it("parses SENTINEL MASTER and GET-MASTER-ADDR-BY-NAME, refusing malformed replies", () => {
    const reply = ["name", "m", "ip", "10.0.0.1", "port", "7000", "runid", "x", "flags", "master", "quorum", "2", "num-slaves", "1", "num-other-sentinels", "2", "config-epoch", "3", "down-after-milliseconds", "1000", "failover-timeout", "10000", "parallel-syncs", "1"];
    expect(parseSentinelMaster(parseFieldList(reply, "SENTINEL MASTER"))).toMatchObject({ host: "10.0.0.1", port: 7000, quorum: 2, numOtherSentinels: 2, configEpoch: 3 });
    expect(() => parseFieldList(["name"], "SENTINEL MASTER")).toThrow(/not a field\/value list/);
    expect(parseMasterAddr(["10.0.0.1", "7000"])).toEqual({ host: "10.0.0.1", port: 7000 });
    expect(parseMasterAddr(null)).toBeNull();
    expect(() => parseMasterAddr(["x"])).toThrow(/not \[host, port\]/);
  });
});
