// The create plan is pure: placement and counts are pinned here by tables.
import { describe, expect, it } from "vitest";
import { planNodes } from "../src/ops/cluster-create/index.js";
import { formatPlan, layout, planCreate, type PlanNode } from "../src/ops/cluster-create/plan.js";

const nodes = (n: number, zones = 0, sameHost = false): PlanNode[] =>
  Array.from({ length: n }, (_, i) => {
    const z = zones ? (i % zones) + 1 : 0;
    const host = sameHost ? "127.0.0.1" : zones ? `127.0.${z}.${Math.floor(i / zones) + 1}` : `127.0.0.${i + 1}`;
    return { address: `${host}:${7000 + i}`, host, zone: zones ? `z${z}` : undefined };
  });

describe("layout", () => {
  it.each([
    // nodes, replicas, masters?, expected masters, replicas, extra
    [6, 1, undefined, 3, 1, 0],
    [7, 1, undefined, 3, 1, 1],
    [12, 1, undefined, 6, 1, 0],
    [12, 2, 4, 4, 2, 0],
    [9, 2, 3, 3, 2, 0],
    [3, 0, undefined, 3, 0, 0],
    [8, 0, 3, 3, 0, 5],
  ])("%i nodes, %i replicas, masters %s", (n, r, m, em, er, ee) => {
    expect(layout(n, { replicas: r, masters: m })).toEqual({ masters: em, replicas: er, extra: ee });
  });

  it.each([
    [5, 1, 3, "too_few_nodes"],
    [4, 1, undefined, "too_few_nodes"],
    [2, 0, undefined, "too_few_nodes"],
    [6, -1, undefined, "invalid_input"],
  ])("refuses %i nodes, %i replicas, masters %s", (n, r, m, code) => {
    expect(() => layout(n, { replicas: r, masters: m })).toThrow(expect.objectContaining({ code }));
  });
});

describe("planCreate", () => {
  it("covers all 16384 slots once, in contiguous ranges, epochs distinct", () => {
    for (const m of [3, 4, 5, 6, 7, 10]) {
      const plan = planCreate(nodes(m), { replicas: 0 });
      const ranges = plan.masters.flatMap((pm) => pm.slots).sort((a, b) => a.start - b.start);
      expect(ranges[0].start).toBe(0);
      expect(ranges.at(-1)!.end).toBe(16383);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i].start).toBe(ranges[i - 1].end + 1);
      expect(new Set(plan.masters.map((pm) => pm.configEpoch)).size).toBe(m);
    }
  });

  it.each([
    // nodes, zones, replicas, masters
    [6, 3, 1, undefined],
    [6, 2, 1, undefined],
    [9, 3, 2, 3],
    [12, 3, 1, undefined],
    [12, 2, 1, undefined],
    [12, 3, 2, 4],
    [8, 2, 1, 4],
  ])("%i nodes in %i zones, %i replicas: no replica shares its master's zone", (n, z, r, m) => {
    const plan = planCreate(nodes(n, z), { replicas: r, masters: m });
    const zoneOf = Object.fromEntries(nodes(n, z).map((x) => [x.address, x.zone]));
    for (const pm of plan.masters) {
      expect(pm.replicas).toHaveLength(r);
      for (const rep of pm.replicas) expect(zoneOf[rep]).not.toBe(zoneOf[pm.address]);
    }
    expect(plan.warnings).toEqual([]);
  });

  /** n nodes on `hosts` machines, no zones: node i on host i % hosts. */
  const onHosts = (n: number, hosts: number): PlanNode[] =>
    Array.from({ length: n }, (_, i) => ({ address: `10.0.0.${(i % hosts) + 1}:${7000 + i}`, host: `10.0.0.${(i % hosts) + 1}` }));

  it.each([
    // nodes, hosts, replicas, masters
    [6, 3, 1, undefined],
    [6, 2, 1, undefined],
    [8, 4, 1, 4],
    [9, 3, 2, 3],
    [12, 4, 1, undefined],
    [12, 3, 2, 4],
    [12, 6, 1, undefined],
  ])("%i nodes on %i hosts without zones, %i replicas: no replica on its master's host", (n, h, r, m) => {
    const plan = planCreate(onHosts(n, h), { replicas: r, masters: m });
    const hostOf = (a: string) => a.split(":")[0];
    for (const pm of plan.masters) {
      expect(pm.replicas).toHaveLength(r);
      for (const rep of pm.replicas) expect(hostOf(rep)).not.toBe(hostOf(pm.address));
    }
    expect(new Set(plan.masters.map((pm) => hostOf(pm.address))).size).toBe(Math.min(h, plan.masters.length));
    expect(plan.warnings).toEqual([]);
  });

  it("one host written two ways (localhost and 127.0.0.1) is one host once planNodes has the reached IPs", () => {
    const reached = [
      { address: "127.0.0.1:7000", ip: "127.0.0.1" },
      { address: "localhost:7001", ip: "127.0.0.1" },
      { address: "127.0.0.1:7002", ip: "127.0.0.1" },
      { address: "127.0.0.2:7003", ip: "127.0.0.2" },
      { address: "127.0.0.2:7004", ip: "127.0.0.2" },
      { address: "127.0.0.3:7005", ip: "127.0.0.3" },
    ];
    const ipOf = Object.fromEntries(reached.map((n) => [n.address, n.ip]));
    const plan = planCreate(planNodes(reached), { replicas: 1 });
    for (const pm of plan.masters) for (const rep of pm.replicas) expect(ipOf[rep]).not.toBe(ipOf[pm.address]);
    expect(new Set(plan.masters.map((pm) => ipOf[pm.address])).size).toBe(3);
    expect(plan.warnings).toEqual([]);
    // By the strings as typed, "localhost" is a fourth host: a replica lands beside its master, unwarned.
    const typed = planCreate(planNodes(reached.map((n) => ({ address: n.address }))), { replicas: 1 });
    expect(typed.replicaOf["127.0.0.1:7002"]).toBe("localhost:7001");
    expect(typed.warnings).toEqual([]);
  });

  it("formatPlan prints one line per master and the warnings", () => {
    const plan = planCreate(nodes(6, 0, true), { replicas: 1 });
    const lines = formatPlan(plan).split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(`M1 ${plan.masters[0].address} slots 0-5460 (5461)  replicas: ${plan.masters[0].replicas[0]}`);
    expect(lines[3]).toMatch(/^warning: replica .* is in the same host as its master/);
    expect(formatPlan(planCreate(nodes(3), { replicas: 0 })).split("\n")[2]).toBe("M3 127.0.0.3:7002 slots 10923-16383 (5461)  no replicas");
  });

  it("spreads a shard over all zones when there are enough", () => {
    const plan = planCreate(nodes(9, 3), { replicas: 2, masters: 3 });
    const zoneOf = Object.fromEntries(nodes(9, 3).map((x) => [x.address, x.zone]));
    for (const pm of plan.masters) expect(new Set([pm.address, ...pm.replicas].map((a) => zoneOf[a])).size).toBe(3);
  });

  it("puts masters in different zones first", () => {
    const plan = planCreate(nodes(6, 3), { replicas: 1 });
    const zoneOf = Object.fromEntries(nodes(6, 3).map((x) => [x.address, x.zone]));
    expect(new Set(plan.masters.map((pm) => zoneOf[pm.address])).size).toBe(3);
  });

  it("warns when one host forces replicas beside their master", () => {
    const plan = planCreate(nodes(6, 0, true), { replicas: 1 });
    expect(plan.warnings).toHaveLength(3);
    expect(plan.warnings[0]).toMatch(/same host/);
  });

  it("assigns extra nodes as extra replicas, round-robin", () => {
    const plan = planCreate(nodes(7), { replicas: 1 });
    expect(plan.masters.map((pm) => pm.replicas.length)).toEqual([2, 1, 1]);
    expect(Object.keys(plan.replicaOf)).toHaveLength(4);
  });

  it("is deterministic", () => {
    expect(planCreate(nodes(12, 3), { replicas: 1 })).toEqual(planCreate(nodes(12, 3), { replicas: 1 }));
  });
});
