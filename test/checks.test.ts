// Cluster checks over ClusterView fixtures built in code: one healthy 3+3 cluster, and one
// broken variant per check. Each case lists exactly the finding codes it must produce.
import { describe, expect, it } from "vitest";
import { checkCluster, type ClusterCheckOptions } from "../src/checks/cluster-checks.js";
import { clusterCounts } from "../src/topology/members.js";
import { checkSlotAgreement } from "../src/checks/slot-checks.js";
import { parseRanges } from "../src/redis/slots.js";
import type { ClusterNodeEntry, ClusterView, NodeFlag, NodeView, ReplicationInfo } from "../src/topology/types.js";

interface Spec {
  name: string;
  host: string;
  port: number;
  role: "master" | "replica";
  master?: string;
  slots?: string;
  epoch: number;
  zone?: string;
  offset?: number;
}

const id = (name: string) => name.repeat(40).slice(0, 40);
const addr = (s: Spec) => `${s.host}:${s.port}`;

function healthySpecs(): Spec[] {
  return [
    { name: "a", host: "10.0.0.1", port: 7000, role: "master", slots: "0-5460", epoch: 1, zone: "z1" },
    { name: "b", host: "10.0.0.2", port: 7000, role: "master", slots: "5461-10922", epoch: 2, zone: "z2" },
    { name: "c", host: "10.0.0.3", port: 7000, role: "master", slots: "10923-16383", epoch: 3, zone: "z3" },
    { name: "d", host: "10.0.0.2", port: 7001, role: "replica", master: "a", epoch: 1, zone: "z2" },
    { name: "e", host: "10.0.0.3", port: 7001, role: "replica", master: "b", epoch: 2, zone: "z3" },
    { name: "f", host: "10.0.0.1", port: 7001, role: "replica", master: "c", epoch: 3, zone: "z1" },
  ];
}

function entry(s: Spec, flags: NodeFlag[] = []): ClusterNodeEntry {
  return {
    id: id(s.name),
    host: s.host,
    port: s.port,
    busPort: s.port + 10000,
    flags: [...flags, s.role === "master" ? "master" : "slave"],
    role: s.role,
    ...(s.master ? { masterId: id(s.master) } : {}),
    pingSent: 0,
    pongReceived: 1,
    configEpoch: s.epoch,
    linkState: "connected",
    slots: parseRanges(s.slots ?? "")!,
    migrating: [],
    importing: [],
  };
}

type Tweak = (viewer: Spec, peer: ClusterNodeEntry) => ClusterNodeEntry | undefined;

/** Every node sees every spec; `tweak` edits (or drops, with undefined) what one viewer sees. */
function buildView(specs: Spec[], tweak: Tweak = (_v, p) => p, unreachable: string[] = []): ClusterView {
  const nodes: NodeView[] = specs
    .filter((s) => !unreachable.includes(s.name))
    .map((viewer) => {
      const master = specs.find((m) => m.name === viewer.master);
      const replication: ReplicationInfo =
        viewer.role === "master"
          ? { role: "master", offset: viewer.offset ?? 1000, connectedReplicas: [] }
          : { role: "replica", masterHost: master!.host, masterPort: master!.port, masterLinkStatus: "up", offset: viewer.offset ?? 1000, connectedReplicas: [] };
      const peers = specs
        .map((s) => (s === viewer ? entry(s, ["myself"]) : tweak(viewer, entry(s))))
        .filter((p): p is ClusterNodeEntry => p !== undefined);
      return {
        address: addr(viewer),
        ...(viewer.zone ? { zone: viewer.zone } : {}),
        self: peers.find((p) => p.flags.includes("myself"))!,
        peers,
        clusterState: "ok",
        currentEpoch: 3,
        knownNodes: peers.length,
        slotsAssigned: 16384,
        replication,
        keys: 10,
      };
    });
  return {
    readAt: "2025-01-01T00:00:00.000Z",
    nodes,
    unreachable: unreachable.map((n) => ({ address: addr(specs.find((s) => s.name === n)!), error: "Cannot reach it: connection refused." })),
  };
}

function withSpecs(edit: (specs: Spec[]) => void, tweak?: Tweak, unreachable?: string[]): ClusterView {
  const specs = healthySpecs();
  edit(specs);
  return buildView(specs, tweak, unreachable);
}

const spec = (specs: Spec[], name: string) => specs.find((s) => s.name === name)!;
const flagged = (target: string, flag: NodeFlag, viewers?: string[]): Tweak => (v, p) =>
  p.id === id(target) && (!viewers || viewers.includes(v.name)) ? { ...p, flags: [flag, ...p.flags] } : p;
const node = (view: ClusterView, name: string) => view.nodes.find((n) => n.self.id === id(name))!;

function mutate(view: ClusterView, name: string, edit: (n: NodeView) => void): ClusterView {
  edit(node(view, name));
  return view;
}

/** The zones map a read was given (address -> zone), as readClusterView attaches it. */
function withZoneMap(view: ClusterView, specs: Spec[]): ClusterView {
  return { ...view, zones: Object.fromEntries(specs.filter((s) => s.zone).map((s) => [addr(s), s.zone!])) };
}

const extraMaster = (name: string, port: number, epoch: number): Spec => ({ name, host: "10.0.0.4", port, role: "master", epoch });

/** a unreachable and failed, with its replica d moved into a's zone z1. */
function deadMasterSameZone(): { specs: Spec[]; view: ClusterView } {
  const specs = healthySpecs();
  spec(specs, "d").zone = "z1";
  return { specs, view: buildView(specs, flagged("a", "fail"), ["a"]) };
}

const cases: { name: string; view: () => ClusterView; opts?: ClusterCheckOptions; codes: string[]; message?: RegExp }[] = [
  { name: "healthy cluster", view: () => buildView(healthySpecs()), codes: [] },
  { name: "healthy cluster, 1 replica wanted", view: () => buildView(healthySpecs()), opts: { replicasPerMaster: 1 }, codes: [] },
  { name: "healthy cluster, 6 nodes expected", view: () => buildView(healthySpecs()), opts: { expectedNodes: 6 }, codes: [] },
  {
    name: "2 replicas wanted",
    view: () => buildView(healthySpecs()),
    opts: { replicasPerMaster: 2 },
    codes: ["replicas_missing", "replicas_missing", "replicas_missing"],
    message: /Master 10\.0\.0\.1:7000 \(slots 0-5460\) has 1 of 2 wanted replicas/,
  },
  {
    name: "slot 16383 unassigned everywhere",
    view: () => withSpecs((s) => (spec(s, "c").slots = "10923-16382")),
    codes: ["slots_uncovered"],
    message: /1 slot not assigned to any master: 16383 \(seen by all 6 nodes\)/,
  },
  {
    name: "slot 16383 unassigned in one node's view",
    view: () => buildView(healthySpecs(), (v, p) => (v.name === "a" && p.id === id("c") ? { ...p, slots: parseRanges("10923-16382")! } : p)),
    codes: ["slots_uncovered", "slot_map_disagreement"],
    message: /owner of slot 16383: 10\.0\.0\.1:7000 says unassigned; .* and 2 more say 10\.0\.0\.3:7000 \(cccccccc\)\.$/,
  },
  {
    name: "two masters claim slot 0 in different views",
    view: () => buildView(healthySpecs(), (v, p) => (v.name === "b" && p.id === id("a") ? { ...p, slots: parseRanges("1-5460")! } : v.name === "b" && p.id === id("c") ? { ...p, slots: parseRanges("0,10923-16383")! } : p)),
    codes: ["slot_map_disagreement"],
    message: /owner of slot 0: 10\.0\.0\.1:7000, .* say 10\.0\.0\.1:7000 \(aaaaaaaa\); 10\.0\.0\.2:7000 says 10\.0\.0\.3:7000 \(cccccccc\)\.$/,
  },
  {
    name: "slot 100 migrating from a to b",
    view: () => {
      const view = buildView(healthySpecs());
      node(view, "a").self.migrating.push({ slot: 100, to: id("b") });
      node(view, "b").self.importing.push({ slot: 100, from: id("a") });
      return view;
    },
    codes: ["open_slot"],
    message: /^Slot 100 is open: migrating on 10\.0\.0\.1:7000 to 10\.0\.0\.2:7000 \(bbbbbbbb\); importing on 10\.0\.0\.2:7000 from 10\.0\.0\.1:7000 \(aaaaaaaa\)\.$/,
  },
  {
    name: "master b killed: unreachable and failed",
    view: () => buildView(healthySpecs(), flagged("b", "fail"), ["b"]),
    codes: ["node_unreachable", "node_failed"],
    message: /10\.0\.0\.2:7000 \(bbbbbbbb\), a master of slots 5461-10922, is marked failed \(fail\) by all 5 nodes read/,
  },
  {
    name: "replica f failed: it no longer counts as c's replica",
    view: () => buildView(healthySpecs(), flagged("f", "fail"), ["f"]),
    codes: ["node_unreachable", "node_failed", "master_without_replica"],
  },
  {
    name: "b suspected by one node",
    view: () => buildView(healthySpecs(), flagged("b", "fail?", ["a"])),
    codes: ["node_pfail"],
    message: /is suspected failing \(fail\?\) by 10\.0\.0\.1:7000\./,
  },
  {
    name: "c has no address in one view",
    view: () => buildView(healthySpecs(), (v, p) => (v.name === "d" && p.id === id("c") ? { ...p, flags: ["noaddr", ...p.flags] } : p)),
    codes: ["node_noaddr"],
  },
  {
    name: "a MEET stuck in handshake",
    view: () => {
      const view = buildView(healthySpecs());
      node(view, "a").peers.push({ ...entry({ name: "9", host: "10.0.0.9", port: 7000, role: "master", epoch: 0 }), flags: ["handshake"] });
      return view;
    },
    codes: ["node_handshake"],
    message: /10\.0\.0\.9:7000 is still in handshake on 10\.0\.0\.1:7000/,
  },
  {
    name: "cluster_state fail on two nodes",
    view: () => mutate(mutate(buildView(healthySpecs()), "a", (n) => (n.clusterState = "fail")), "e", (n) => (n.clusterState = "fail")),
    codes: ["cluster_state_fail"],
    message: /cluster_state is fail on 2 of 6 nodes: 10\.0\.0\.1:7000, 10\.0\.0\.3:7001/,
  },
  {
    name: "c has no replica",
    view: () => withSpecs((s) => s.splice(s.indexOf(spec(s, "f")), 1)),
    codes: ["master_without_replica"],
    message: /Master 10\.0\.0\.3:7000 \(slots 10923-16383\) has no working replica/,
  },
  {
    name: "c has no replica, 1 wanted",
    view: () => withSpecs((s) => s.splice(s.indexOf(spec(s, "f")), 1)),
    opts: { replicasPerMaster: 1 },
    codes: ["replicas_missing"],
  },
  {
    name: "replica d link down, full sync running",
    view: () => mutate(buildView(healthySpecs()), "d", (n) => Object.assign(n.replication, { masterLinkStatus: "down", masterSyncInProgress: true })),
    codes: ["replica_link_down"],
    message: /Replica 10\.0\.0\.2:7001: link to master 10\.0\.0\.1:7000 is down \(full sync in progress\)/,
  },
  {
    name: "replica d 4 MiB behind",
    view: () => withSpecs((s) => (spec(s, "a").offset = 4 * 1024 * 1024 + 1000)),
    codes: ["replica_lagging"],
    message: /Replica 10\.0\.0\.2:7001 is 4\.0 MiB behind its master 10\.0\.0\.1:7000 \(limit 1\.0 MiB\)/,
  },
  {
    name: "replica d 4 MiB behind, 8 MiB allowed",
    view: () => withSpecs((s) => (spec(s, "a").offset = 4 * 1024 * 1024 + 1000)),
    opts: { maxLagBytes: 8 * 1024 * 1024 },
    codes: [],
  },
  {
    name: "replica d replicates from b's address while CLUSTER NODES says a",
    view: () => mutate(buildView(healthySpecs()), "d", (n) => Object.assign(n.replication, { masterHost: "10.0.0.2", masterPort: 7000 })),
    codes: ["replica_master_mismatch"],
  },
  {
    name: "replica d on its master's host",
    view: () => withSpecs((s) => (spec(s, "d").host = "10.0.0.1")),
    codes: ["replica_same_host"],
    message: /Replica 10\.0\.0\.1:7001 is on the same host \(10\.0\.0\.1\) as its master 10\.0\.0\.1:7000/,
  },
  {
    name: "replica d in its master's zone",
    view: () => withSpecs((s) => (spec(s, "d").zone = "z1")),
    codes: ["replica_same_zone"],
    message: /Replica 10\.0\.0\.2:7001 is in zone z1 with its master 10\.0\.0\.1:7000: losing z1 loses both/,
  },
  {
    name: "one zone only: nothing to spread across",
    view: () => withSpecs((s) => s.forEach((x) => (x.zone = "z1"))),
    codes: [],
  },
  {
    name: "all nodes on one host",
    view: () => withSpecs((s) => s.forEach((x, i) => Object.assign(x, { host: "127.0.0.1", port: 7000 + i }))),
    codes: ["single_host"],
  },
  {
    name: "masters a and b share config epoch 1",
    view: () => withSpecs((s) => (spec(s, "b").epoch = 1)),
    codes: ["config_epoch_collision"],
    message: /Masters 10\.0\.0\.1:7000, 10\.0\.0\.2:7000 share config epoch 1/,
  },
  {
    name: "an empty master shares config epoch 1 with slot owner a",
    view: () => withSpecs((s) => s.push(extraMaster("g", 7000, 1))),
    codes: ["config_epoch_collision"],
    message: /^Masters 10\.0\.0\.1:7000, 10\.0\.0\.4:7000 share config epoch 1\.$/,
  },
  {
    name: "two empty masters both at epoch 0 in one cluster",
    view: () => withSpecs((s) => s.push(extraMaster("g", 7000, 0), extraMaster("h", 7001, 0))),
    codes: ["config_epoch_collision"],
    message: /^Masters 10\.0\.0\.4:7000, 10\.0\.0\.4:7001 share config epoch 0\.$/,
  },
  {
    name: "a replica sharing its master's epoch is no collision",
    view: () => withSpecs((s) => s.push({ name: "g", host: "10.0.0.4", port: 7000, role: "replica", master: "a", epoch: 1 })),
    codes: [],
  },
  {
    name: "replica d link up but silent for 11 s",
    view: () => mutate(buildView(healthySpecs()), "d", (n) => (n.replication.masterLastIoSecondsAgo = 11)),
    codes: ["replica_link_silent"],
    message: /^Replica 10\.0\.0\.2:7001: link to master 10\.0\.0\.1:7000 is up but silent for 11 s \(limit 10 s\)\.$/,
  },
  {
    name: "replica d silent for 10 s: one ping period, fine",
    view: () => mutate(buildView(healthySpecs()), "d", (n) => (n.replication.masterLastIoSecondsAgo = 10)),
    codes: [],
  },
  {
    name: "replica d silent for 11 s, 30 s allowed",
    view: () => mutate(buildView(healthySpecs()), "d", (n) => (n.replication.masterLastIoSecondsAgo = 11)),
    opts: { maxSilentSeconds: 30 },
    codes: [],
  },
  {
    name: "replica d silent and 4 MiB behind: both",
    view: () => mutate(withSpecs((s) => (spec(s, "a").offset = 4 * 1024 * 1024 + 1000)), "d", (n) => (n.replication.masterLastIoSecondsAgo = 20)),
    codes: ["replica_link_silent", "replica_lagging"],
  },
  {
    name: "master a unreachable, its replica d in a's zone: zone from the map by address",
    view: () => {
      const { specs, view } = deadMasterSameZone();
      return withZoneMap(view, specs);
    },
    codes: ["node_unreachable", "node_failed", "replica_same_zone"],
    message: /^Replica 10\.0\.0\.2:7001 is in zone z1 with its master 10\.0\.0\.1:7000: losing z1 loses both\.$/,
  },
  {
    name: "master a unreachable, its replica d in a's zone, no zone map: a's zone is unknown",
    view: () => deadMasterSameZone().view,
    codes: ["node_unreachable", "node_failed"],
  },
  {
    name: "replica d reached by a name that resolves to its master's IP",
    view: () => {
      const view = withSpecs((s) => (spec(s, "d").host = "node-a.lan"));
      view.nodes.forEach((n) => (n.ip = n.address.startsWith("node-a.lan") ? "10.0.0.1" : n.address.split(":")[0]));
      return view;
    },
    codes: ["replica_same_host"],
    message: /^Replica node-a\.lan:7001 is on the same host \(10\.0\.0\.1\) as its master 10\.0\.0\.1:7000\.$/,
  },
  {
    name: "7 nodes expected",
    view: () => buildView(healthySpecs()),
    opts: { expectedNodes: 7 },
    codes: ["node_count_mismatch"],
  },
  {
    name: "a does not know f",
    view: () => buildView(healthySpecs(), (v, p) => (v.name === "a" && p.id === id("f") ? undefined : p)),
    codes: ["node_unknown_peers"],
    message: /10\.0\.0\.1:7000 does not know 1 of the cluster's nodes: 10\.0\.0\.1:7001 \(ffffffff\)/,
  },
  {
    name: "a still thinks d is a master",
    view: () => buildView(healthySpecs(), (v, p) => (v.name === "a" && p.id === id("d") ? { ...p, role: "master", flags: ["master"], masterId: undefined } : p)),
    codes: ["role_disagreement"],
    message: /role of 10\.0\.0\.2:7001 \(dddddddd\): 10\.0\.0\.1:7000 says master; .* and 2 more say replica of 10\.0\.0\.1:7000 \(aaaaaaaa\)\.$/,
  },
];

describe("checkCluster", () => {
  it.each(cases)("$name -> $codes", ({ view, opts, codes, message }) => {
    const findings = checkCluster(view(), opts);
    expect(findings.map((f) => f.code).sort()).toEqual([...codes].sort());
    for (const f of findings) {
      expect(f.message.split("\n")).toHaveLength(1);
      expect(f.next.length).toBeGreaterThan(10);
      expect(f.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
    if (message) expect(findings.map((f) => f.message)).toContainEqual(expect.stringMatching(message));
  });

  it("puts errors before warnings before info", () => {
    const view = withSpecs((s) => {
      s.forEach((x, i) => Object.assign(x, { host: "127.0.0.1", port: 7000 + i }));
      s.splice(s.indexOf(spec(s, "f")), 1);
      spec(s, "c").slots = "10923-16382";
    });
    expect(checkCluster(view).map((f) => f.severity)).toEqual(["error", "warning", "info"]);
  });

  it("six fresh, unjoined nodes: every slot uncovered and nobody knows anybody", () => {
    const view: ClusterView = { ...buildView(healthySpecs()), nodes: [] };
    for (const s of healthySpecs()) {
      const lone = buildView([{ ...s, role: "master", master: undefined, slots: undefined, epoch: 0 }]);
      view.nodes.push(...lone.nodes);
    }
    const codes = new Set(checkCluster(view).map((f) => f.code));
    expect(codes).toEqual(new Set(["slots_uncovered", "node_unknown_peers"]));
    expect(checkCluster(view).find((f) => f.code === "slots_uncovered")?.message).toMatch(/16384 slots not assigned to any master: 0-16383 \(seen by all 6 nodes\)/);
  });

  it("caps slot disagreements at five findings plus a summary", () => {
    // a's view: c owns every other slot of 0..39, so 20 separate disagreeing ranges.
    const view = buildView(healthySpecs(), (v, p) => {
      if (v.name !== "a") return p;
      const odd = Array.from({ length: 20 }, (_, i) => `${2 * i + 1}`).join(",");
      if (p.id === id("c")) return { ...p, slots: parseRanges(`${odd},10923-16383`)! };
      return p;
    });
    node(view, "a").self.slots = parseRanges(Array.from({ length: 20 }, (_, i) => `${2 * i}`).join(",") + ",40-5460")!;
    const findings = checkSlotAgreement(view);
    expect(findings).toHaveLength(6);
    expect(findings[5].message).toBe("Nodes also disagree on 15 more slots in 15 more ranges.");
  });
});

describe("clusterCounts", () => {
  it.each([
    ["healthy", () => buildView(healthySpecs()), { nodes: 6, reachable: 6, unreachable: 0, masters: 3, replicas: 3, slotsCovered: 16384 }],
    ["b unreachable", () => buildView(healthySpecs(), flagged("b", "fail"), ["b"]), { nodes: 6, reachable: 5, unreachable: 1, masters: 3, replicas: 3, slotsCovered: 16384 }],
    ["slot missing", () => withSpecs((s) => (spec(s, "c").slots = "10923-16382")), { nodes: 6, masters: 3, slotsCovered: 16383 }],
  ])("%s", (_name, view, expected) => {
    expect(clusterCounts(view())).toMatchObject(expected);
  });
});
