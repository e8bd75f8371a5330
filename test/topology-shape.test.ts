// The topology resources' pure core: ClusterView -> shape -> Mermaid. Tables over
// hand-built views, one golden diagram, and the cases an operator must not misread
// (failed masters, unreachable nodes, replicas whose master is unknown).
import { describe, expect, it } from "vitest";
import { topologyMermaid } from "../src/topology/mermaid.js";
import { formatSlots, topologyShape } from "../src/topology/shape.js";
import { clusterMembers, failedBy, memberHealth } from "../src/topology/members.js";
import { describeMember } from "../src/topology/describe-member.js";
import { checkReplicaCount } from "../src/checks/cluster-checks.js";
import type { SlotRange } from "../src/redis/slots.js";
import type { ClusterNodeEntry, ClusterView, NodeFlag, NodeView } from "../src/topology/types.js";

interface Spec {
  id: string;
  address: string;
  zone?: string;
  master?: string;
  slots?: SlotRange[];
  /** Flags peers report for this node, e.g. ["fail"]. */
  seenAs?: NodeFlag[];
}

function entry(s: Spec, myself: boolean, flags: NodeFlag[] = []): ClusterNodeEntry {
  const [host, port] = s.address.split(":");
  return {
    id: s.id,
    host,
    port: Number(port),
    busPort: Number(port) + 10000,
    flags: [...(myself ? (["myself"] as NodeFlag[]) : []), s.master ? "slave" : "master", ...flags],
    role: s.master ? "replica" : "master",
    ...(s.master ? { masterId: s.master } : {}),
    pingSent: 0,
    pongReceived: 0,
    configEpoch: 1,
    linkState: "connected",
    slots: s.slots ?? [],
    migrating: [],
    importing: [],
  };
}

/** Every spec is a reachable node; each lists all others as peers with their seenAs flags. */
function view(specs: Spec[], unreachable: string[] = []): ClusterView {
  const nodes: NodeView[] = specs.map((s) => ({
    address: s.address,
    ...(s.zone ? { zone: s.zone } : {}),
    self: entry(s, true),
    peers: specs.map((p) => (p === s ? entry(s, true) : entry(p, false, p.seenAs))),
    clusterState: "ok",
    currentEpoch: 6,
    knownNodes: specs.length,
    slotsAssigned: 16384,
    replication: { role: s.master ? "replica" : "master", offset: 0, connectedReplicas: [] },
    keys: 0,
  }));
  return { readAt: "2025-01-01T00:00:00.000Z", nodes, unreachable: unreachable.map((address) => ({ address, error: "connection refused" })) };
}

const threeByThree: Spec[] = [
  { id: "m1", address: "127.0.1.1:7000", zone: "z1", slots: [{ start: 0, end: 5460 }] },
  { id: "m2", address: "127.0.2.1:7001", zone: "z2", slots: [{ start: 5461, end: 10922 }] },
  { id: "m3", address: "127.0.3.1:7002", zone: "z3", slots: [{ start: 10923, end: 16383 }] },
  { id: "r1", address: "127.0.2.2:7003", zone: "z2", master: "m1" },
  { id: "r2", address: "127.0.3.2:7004", zone: "z3", master: "m2" },
  { id: "r3", address: "127.0.1.2:7005", zone: "z1", master: "m3" },
];

describe("topologyMermaid", () => {
  it("draws 3 masters + 3 replicas in 3 zones (golden)", () => {
    expect(topologyMermaid(topologyShape(view(threeByThree)))).toBe(
      [
        "flowchart TB",
        '  subgraph zone1["zone z1"]',
        '    n1["M1 127.0.1.1:7000<br/>slots 0-5460 (5461)"]',
        '    n6["replica 127.0.1.2:7005"]',
        "  end",
        '  subgraph zone2["zone z2"]',
        '    n2["replica 127.0.2.2:7003"]',
        '    n3["M2 127.0.2.1:7001<br/>slots 5461-10922 (5462)"]',
        "  end",
        '  subgraph zone3["zone z3"]',
        '    n4["replica 127.0.3.2:7004"]',
        '    n5["M3 127.0.3.1:7002<br/>slots 10923-16383 (5461)"]',
        "  end",
        "  n2 -->|replica of| n1",
        "  n4 -->|replica of| n3",
        "  n6 -->|replica of| n5",
        "  classDef master fill:#dbeafe,stroke:#1d4ed8",
        "  classDef replica fill:#f1f5f9,stroke:#64748b",
        "  classDef down fill:#fee2e2,stroke:#b91c1c,stroke-dasharray:4",
        "  class n1,n3,n5 master",
        "  class n2,n4,n6 replica",
        "",
      ].join("\n"),
    );
  });

  it.each<{ name: string; specs: Spec[]; unreachable?: string[]; zones?: Record<string, string>; has: string[]; lacks?: string[] }>([
    {
      name: "no zones: no subgraphs",
      specs: threeByThree.map(({ zone: _z, ...s }) => s),
      has: ['  n1["M1 127.0.1.1:7000<br/>slots 0-5460 (5461)"]'],
      lacks: ["subgraph"],
    },
    {
      name: "a master its peers mark failed is drawn down",
      specs: threeByThree.map((s) => (s.id === "m2" ? { ...s, seenAs: ["fail"] as NodeFlag[] } : s)),
      has: ['n3["M2 127.0.2.1:7001<br/>slots 5461-10922 (5462)<br/>FAIL"]', "class n3 down"],
    },
    {
      name: "a suspected (pfail) node is labelled but keeps its class",
      specs: threeByThree.map((s) => (s.id === "r1" ? { ...s, seenAs: ["fail?"] as NodeFlag[] } : s)),
      has: ['n2["replica 127.0.2.2:7003<br/>PFAIL"]', "class n2,n4,n6 replica"],
    },
    {
      name: "an unreachable node sits in its zone from the zones map",
      specs: threeByThree,
      unreachable: ["127.0.2.9:7009"],
      zones: { "127.0.2.9:7009": "z2" },
      has: ['    n7["127.0.2.9:7009<br/>UNREACHABLE"]', "class n7 down"],
    },
    {
      name: "a replica whose master was not read says so",
      specs: [...threeByThree, { id: "r9", address: "127.0.0.1:7010", master: "gone" }],
      has: ['  n7["replica 127.0.0.1:7010<br/>master unknown"]'],
      lacks: ["n7 -->"],
    },
    {
      name: "zone labels cannot break out of their quotes",
      specs: [{ id: "m1", address: "127.0.0.1:7000", zone: 'eu "west" <b>', slots: [{ start: 0, end: 16383 }] }],
      has: ['subgraph zone1["zone eu #quot;west#quot; #lt;b#gt;"]'],
    },
    {
      name: "fragmented slots are cut after four ranges",
      specs: [{ id: "m1", address: "127.0.0.1:7000", slots: [0, 10, 20, 30, 40, 50].map((s) => ({ start: s, end: s + 1 })) }],
      has: ["slots 0-1,10-11,20-21,30-31 +2 more ranges (12)"],
    },
  ])("$name", ({ specs, unreachable, zones, has, lacks }) => {
    const text = topologyMermaid(topologyShape(view(specs, unreachable), zones));
    for (const h of has) expect(text).toContain(h);
    for (const l of lacks ?? []) expect(text).not.toContain(l);
  });
});

describe("topologyShape", () => {
  it("groups replicas under their master, shards in slot order", () => {
    const shuffled = [threeByThree[4], threeByThree[2], threeByThree[3], threeByThree[0], threeByThree[5], threeByThree[1]];
    const shape = topologyShape(view(shuffled));
    expect(shape.shards.map((s) => [s.master.address, s.slotCount, s.replicas.map((r) => r.address)])).toEqual([
      ["127.0.1.1:7000", 5461, ["127.0.2.2:7003"]],
      ["127.0.2.1:7001", 5462, ["127.0.3.2:7004"]],
      ["127.0.3.1:7002", 5461, ["127.0.1.2:7005"]],
    ]);
    expect(shape.orphanReplicas).toEqual([]);
  });

  it("puts masters without slots last", () => {
    const specs: Spec[] = [{ id: "e", address: "127.0.0.1:7100" }, ...threeByThree.slice(0, 3)];
    expect(topologyShape(view(specs)).shards.map((s) => s.master.address)).toEqual(["127.0.1.1:7000", "127.0.2.1:7001", "127.0.3.1:7002", "127.0.0.1:7100"]);
  });
});

describe("formatSlots", () => {
  it.each([
    [[], "no slots"],
    [[{ start: 5, end: 5 }], "5"],
    [[{ start: 0, end: 5460 }, { start: 10923, end: 10923 }], "0-5460,10923"],
  ])("%j -> %s", (slots, text) => expect(formatSlots(slots)).toBe(text));
});

describe("member health: one reading for the shape, cluster_info and the checks", () => {
  const seen = (id: string, flags: NodeFlag[]) => threeByThree.map((s) => (s.id === id ? { ...s, seenAs: flags } : s));

  it.each<[string, Spec[], string[], string, string, string[]]>([
    ["all up", threeByThree, [], "r1", "ok", []],
    ["a replica its peers suspect", seen("r1", ["fail?"]), [], "r1", "pfail", ["127.0.1.1:7000", "127.0.2.1:7001", "127.0.3.1:7002", "127.0.3.2:7004", "127.0.1.2:7005"]],
    ["a replica its peers mark failed", seen("r1", ["fail"]), [], "r1", "fail", ["127.0.1.1:7000", "127.0.2.1:7001", "127.0.3.1:7002", "127.0.3.2:7004", "127.0.1.2:7005"]],
  ])("%s", (_name, specs, unreachable, id, health, by) => {
    const v = view(specs, unreachable);
    const members = clusterMembers(v);
    const m = members.get(id)!;
    expect(memberHealth(m, v)).toBe(health);
    expect(failedBy(m)).toEqual(by);
    // The same reading everywhere: the resources' shape, cluster_info's row.
    const shaped = topologyShape(v).shards.flatMap((s) => [s.master, ...s.replicas]).find((n) => n.id === id)!;
    expect(shaped.health).toBe(health);
    expect(shaped.failedBy ?? []).toEqual(by);
    expect(describeMember(m, members, v)).toMatchObject({ health, ...(by.length ? { failedBy: by } : {}) });
  });

  it("a failed replica does not count as one, a suspected one still does", () => {
    expect(checkReplicaCount(view(seen("r1", ["fail"])), 1).map((f) => f.code)).toEqual(["replicas_missing"]);
    expect(checkReplicaCount(view(seen("r1", ["fail?"])), 1)).toEqual([]);
  });

  it("a member no node could read is unreachable, unless a node marks it failed", () => {
    const v = view(threeByThree.filter((s) => s.id !== "r1"), ["127.0.2.2:7003"]);
    // Its peers still list it (as the fixture's others do not): add r1's entry to each view.
    for (const n of v.nodes) n.peers.push(entry(threeByThree[3], false));
    const m = clusterMembers(v).get("r1")!;
    expect(memberHealth(m, v)).toBe("unreachable");
    for (const n of v.nodes) n.peers[n.peers.length - 1].flags.push("fail");
    expect(memberHealth(clusterMembers(v).get("r1")!, v)).toBe("fail");
  });
});
