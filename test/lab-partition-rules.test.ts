// Partitions as data: cuts, zone subnets, iptables rules and the jump rules we own.
// Pure, so tables; the rules themselves run on real iptables in lab-faults.test.ts.
import { describe, expect, it } from "vitest";
import { CHAIN_PREFIX, chainName, chainRules, heal, isolate, parseOwnedJumps, zoneSubnets, type Cut } from "../src/lab/faults/partition-rules.js";

describe("isolate", () => {
  it.each<[string, string[], Cut[], Cut[]]>([
    ["z1", ["z1", "z2", "z3"], [], [["z1", "z2"], ["z1", "z3"]]],
    ["z3", ["z1", "z2", "z3"], [], [["z1", "z3"], ["z2", "z3"]]],
    // Cuts add up: z1 then z2 leaves three islands.
    ["z2", ["z1", "z2", "z3"], [["z1", "z2"], ["z1", "z3"]], [["z1", "z2"], ["z1", "z3"], ["z2", "z3"]]],
    // Twice is once; a reversed pair is the same pair.
    ["z1", ["z1", "z2"], [["z2", "z1"]], [["z1", "z2"]]],
  ])("isolating %s of %j after %j gives %j", (zone, zones, existing, expected) => {
    expect(isolate(zone, zones, existing)).toEqual(expected);
  });

  it.each([
    ["z9", ["z1", "z2"], /not a zone of this lab.*z1, z2/],
    ["z1", ["z1"], /nothing to cut it from/],
  ])("refuses %s of %j", (zone, zones, message) => {
    expect(() => isolate(zone, zones)).toThrow(message);
  });
});

describe("heal", () => {
  const cuts: Cut[] = [["z1", "z2"], ["z1", "z3"], ["z2", "z3"]];
  it.each<[string | undefined, Cut[]]>([
    [undefined, []],
    ["z1", [["z2", "z3"]]],
    ["z3", [["z1", "z2"]]],
    ["z4", cuts],
  ])("healing %s leaves %j", (zone, expected) => {
    expect(heal(cuts, zone)).toEqual(expected);
  });
});

describe("zoneSubnets", () => {
  it("maps each zone to the /24s of its nodes", () => {
    const nodes = [
      { host: "127.0.1.1", zone: "z1" },
      { host: "127.0.1.2", zone: "z1" },
      { host: "127.0.2.1", zone: "z2" },
    ];
    expect(Object.fromEntries(zoneSubnets(nodes))).toEqual({ z1: ["127.0.1.0/24"], z2: ["127.0.2.0/24"] });
  });

  it.each(["10.0.0.1", "localhost", "::1"])("refuses a node on %s", (host) => {
    expect(() => zoneSubnets([{ host, zone: "z1" }])).toThrow(/not on a loopback address/);
  });
});

describe("chainRules", () => {
  const members = [
    { host: "127.0.1.1", zone: "z1", ports: [7000, 17000] },
    { host: "127.0.2.1", zone: "z2", ports: [7001, 17001] },
    { host: "127.0.3.1", zone: "z3", ports: [7002] },
  ];

  it("drops traffic between the other side's subnet and this lab's ports only, both ways", () => {
    expect(chainRules("RPILOT-x", [["z1", "z2"]], members)).toEqual([
      ["-A", "RPILOT-x", "-s", "127.0.2.0/24", "-d", "127.0.1.1/32", "-p", "tcp", "-m", "multiport", "--dports", "7000,17000", "-j", "DROP"],
      ["-A", "RPILOT-x", "-s", "127.0.1.1/32", "-d", "127.0.2.0/24", "-p", "tcp", "-m", "multiport", "--sports", "7000,17000", "-j", "DROP"],
      ["-A", "RPILOT-x", "-s", "127.0.1.0/24", "-d", "127.0.2.1/32", "-p", "tcp", "-m", "multiport", "--dports", "7001,17001", "-j", "DROP"],
      ["-A", "RPILOT-x", "-s", "127.0.2.1/32", "-d", "127.0.1.0/24", "-p", "tcp", "-m", "multiport", "--sports", "7001,17001", "-j", "DROP"],
    ]);
  });

  it("leaves zones outside the cuts alone and splits more than 15 ports per rule", () => {
    expect(chainRules("C", [["z1", "z2"]], members).some((r) => r.includes("127.0.3.1/32") || r.includes("127.0.3.0/24"))).toBe(false);
    const many = [{ host: "127.0.1.1", zone: "z1", ports: Array.from({ length: 16 }, (_, i) => 7000 + i) }, { host: "127.0.2.1", zone: "z2", ports: [8000] }];
    const toMany = chainRules("C", [["z1", "z2"]], many).filter((r) => r.includes("127.0.1.1/32") && r.includes("--dports"));
    expect(toMany.map((r) => r[r.indexOf("--dports") + 1].split(",").length)).toEqual([15, 1]);
  });
});

describe("chainName", () => {
  it("is short enough for iptables, stable, and differs per lab key", () => {
    const a = chainName("/home/u/.redis-pilot/labs/demo");
    expect(a).toMatch(new RegExp(`^${CHAIN_PREFIX}[0-9a-f]{12}$`));
    expect(a.length).toBeLessThanOrEqual(28);
    expect(chainName("/home/u/.redis-pilot/labs/demo")).toBe(a);
    expect(chainName("/tmp/other-home/labs/demo")).not.toBe(a);
  });
});

describe("parseOwnedJumps", () => {
  const key = "/tmp/redis-pilot-home-abc/labs/demo";
  // As `iptables -S INPUT` prints it: quotes around a comment with spaces.
  const ours = `-A INPUT -m comment --comment "redis-pilot lab ${key}" -j ${chainName(key)}`;

  it("finds our jump and nothing else", () => {
    const listing = [
      "-P INPUT ACCEPT",
      "-A INPUT -i lo -j ACCEPT",
      ours,
      "-A INPUT -m comment --comment \"someone else\" -j RPILOT-000000000000",
      `-A INPUT -m comment --comment "redis-pilot lab /x" -j ${chainName("/y")}`,
      "-A INPUT -s 127.0.1.0/24 -j DROP",
    ].join("\n");
    expect(parseOwnedJumps(listing)).toEqual([{ chain: chainName(key), labKey: key }]);
  });

  it("reads a comment iptables printed without quotes", () => {
    expect(parseOwnedJumps(`-A INPUT -m comment --comment redis-pilot-nospace -j X`)).toEqual([]);
    const k = "/k";
    expect(parseOwnedJumps(`-A INPUT -m comment --comment "redis-pilot lab ${k}" -j ${chainName(k)}`)).toEqual([{ chain: chainName(k), labKey: k }]);
  });
});
