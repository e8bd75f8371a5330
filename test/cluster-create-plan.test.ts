// The create plan is pure: placement and counts are pinned here by tables.
import { describe, expect, it } from "vitest";
import { layout, planCreate, type PlanNode } from "../src/ops/cluster-create/plan.js";

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
