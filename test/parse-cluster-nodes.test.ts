// CLUSTER NODES parsing: replies captured from redis-server 7.0.15 (test/fixtures/redis-7.0),
// hand-written lines for states that are hard to provoke (noaddr, nofailover), and malformed input.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BadReplyError } from "../src/redis/bad-reply.js";
import { parseClusterNodes, parseClusterNodesLine } from "../src/redis/parse-cluster-nodes.js";
import { formatRanges } from "../src/redis/slots.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/redis-7.0/${name}`, import.meta.url), "utf8");
const ID_A = "1d5993f01b87ee945ae15859e2b4022a09652925";
const ID_B = "5e64f332708dbeec44204de66cee7231ffe1529f";

describe("parseClusterNodes on real 7.0 replies", () => {
  it("a healthy 3+3 cluster seen from a master with an announced hostname", () => {
    const nodes = parseClusterNodes(fixture("cluster-nodes-master.txt"));
    expect(nodes).toHaveLength(6);
    const self = nodes.find((n) => n.flags.includes("myself"))!;
    expect(self).toMatchObject({ id: ID_A, host: "127.0.0.1", port: 21108, busPort: 31108, hostname: "node0.lab", role: "master", configEpoch: 1, linkState: "connected" });
    expect(formatRanges(self.slots)).toBe("0-5460");
    expect(nodes.filter((n) => n.role === "master").map((n) => formatRanges(n.slots)).sort()).toEqual(["0-5460", "10923-16383", "5461-10922"]);
    const replicas = nodes.filter((n) => n.role === "replica");
    expect(replicas).toHaveLength(3);
    for (const r of replicas) {
      expect(r.flags).toContain("slave");
      expect(nodes.some((m) => m.id === r.masterId && m.role === "master")).toBe(true);
      expect(r.slots).toEqual([]);
    }
  });

  it("the same cluster seen from a replica", () => {
    const nodes = parseClusterNodes(fixture("cluster-nodes-replica.txt"));
    const self = nodes.find((n) => n.flags.includes("myself"))!;
    expect(self.flags).toEqual(["myself", "slave"]);
    expect(self.role).toBe("replica");
    expect(self.masterId).toMatch(/^[0-9a-f]{40}$/);
    expect(nodes.find((n) => n.id === ID_A)?.hostname).toBe("node0.lab");
  });

  it("a fresh node knows only itself and owns nothing", () => {
    const [self] = parseClusterNodes(fixture("cluster-nodes-empty.txt"));
    expect(self.flags).toEqual(["myself", "master"]);
    expect(self.slots).toEqual([]);
    expect(self.configEpoch).toBe(0);
  });

  it("reads [slot->-id] on the source and [slot-<-id] on the target", () => {
    const src = parseClusterNodes(fixture("cluster-nodes-migrating.txt")).find((n) => n.flags.includes("myself"))!;
    expect(src.migrating).toEqual([{ slot: 100, to: expect.stringMatching(/^[0-9a-f]{40}$/) }]);
    expect(formatRanges(src.slots)).toBe("0-5460");
    const dst = parseClusterNodes(fixture("cluster-nodes-importing.txt")).find((n) => n.flags.includes("myself"))!;
    expect(dst.importing).toEqual([{ slot: 100, from: src.id }]);
    expect(src.migrating[0].to).toBe(dst.id);
  });

  it.each([
    ["cluster-nodes-pfail.txt", ["master", "fail?"], "disconnected"],
    ["cluster-nodes-fail.txt", ["master", "fail"], "disconnected"],
  ])("%s flags the killed master", (file, flags, link) => {
    const victim = parseClusterNodes(fixture(file)).find((n) => n.id === ID_B)!;
    expect(victim.flags).toEqual(flags);
    expect(victim.linkState).toBe(link);
    expect(victim.pingSent).toBeGreaterThan(0);
    expect(formatRanges(victim.slots)).toBe("5461-10922");
  });

  it("after failover the old master keeps no slots and its replica owns them with a new epoch", () => {
    const nodes = parseClusterNodes(fixture("cluster-nodes-after-failover.txt"));
    const old = nodes.find((n) => n.id === ID_B)!;
    expect(old.flags).toEqual(["master", "fail"]);
    expect(old.slots).toEqual([]);
    const promoted = nodes.find((n) => formatRanges(n.slots) === "5461-10922")!;
    expect(promoted.role).toBe("master");
    expect(promoted.configEpoch).toBe(7);
  });

  it("a MEET to a dead port leaves a handshake entry with neither role flag", () => {
    const hs = parseClusterNodes(fixture("cluster-nodes-handshake.txt")).find((n) => n.flags.includes("handshake"))!;
    expect(hs).toMatchObject({ flags: ["handshake"], role: "master", configEpoch: 0, linkState: "disconnected", slots: [] });
    expect(hs.masterId).toBeUndefined();
  });

  it("DELSLOTS 16383 on a node that does not own it unassigns it in that node's view only", () => {
    const nodes = parseClusterNodes(fixture("cluster-nodes-delslots.txt"));
    expect(formatRanges(nodes.find((n) => n.flags.includes("myself"))!.slots)).toBe("5461-10922");
    expect(nodes.map((n) => formatRanges(n.slots)).filter(Boolean).sort()).toEqual(["0-5460", "10923-16382", "5461-10922"]);
  });
});

describe("parseClusterNodesLine", () => {
  const base = `${ID_A} 127.0.0.1:7000@17000 master - 0 1700000000000 1 connected`;
  it.each([
    ["single slots and ranges, merged and sorted", `${base} 5 0-3 4 100-200`, { slots: "0-5,100-200" }],
    ["noaddr with an empty ip", `${ID_A} :0@0 master,noaddr - 1700000000000 1699999999000 3 disconnected 0-10`, { host: "", port: 0, busPort: 0, flags: ["master", "noaddr"] }],
    ["nofailover replica", `${ID_A} 127.0.0.1:7001@17001 slave,nofailover ${ID_B} 0 0 2 connected`, { role: "replica", masterId: ID_B, flags: ["slave", "nofailover"] }],
    ["7.2 aux fields after the hostname", `${ID_A} 10.0.0.1:6379@16379,redis-0.svc,shard-id=abc,tls-port=0 master - 0 0 1 connected`, { host: "10.0.0.1", hostname: "redis-0.svc" }],
    ["empty hostname before aux fields", `${ID_A} 10.0.0.1:6379@16379,,shard-id=abc master - 0 0 1 connected`, { host: "10.0.0.1", hostname: undefined }],
    ["IPv6 address", `${ID_A} ::1:7000@17000 myself,master - 0 0 1 connected`, { host: "::1", port: 7000, busPort: 17000 }],
    ["noflags", `${ID_A} 127.0.0.1:7000@17000 noflags - 0 0 0 connected`, { flags: ["noflags"], role: "master" }],
    ["master id on a master line is dropped", `${ID_A} 127.0.0.1:7000@17000 master ${ID_B} 0 0 1 connected`, { masterId: undefined }],
  ])("%s", (_name, line, expected) => {
    const e = parseClusterNodesLine(line);
    const { slots, ...rest } = expected as Record<string, unknown>;
    if (slots !== undefined) expect(formatRanges(e.slots)).toBe(slots);
    for (const [k, v] of Object.entries(rest)) expect((e as unknown as Record<string, unknown>)[k]).toEqual(v);
  });
});

describe("malformed CLUSTER NODES replies fail with BadReplyError naming the line", () => {
  const good = `${ID_A} 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-16383`;
  it.each([
    ["empty reply", "", /empty reply/],
    ["too few fields", `${ID_A} 127.0.0.1:7000@17000 master - 0 0`, /line 1: expected at least 8 fields/],
    ["short id", `abc 127.0.0.1:7000@17000 master - 0 0 1 connected`, /node id 'abc'/],
    ["no bus port", `${ID_A} 127.0.0.1:7000 master - 0 0 1 connected`, /is not ip:port@cport/],
    ["unknown flag", `${ID_A} 127.0.0.1:7000@17000 master,bogus - 0 0 1 connected`, /unknown flag 'bogus'/],
    ["bad link state", `${ID_A} 127.0.0.1:7000@17000 master - 0 0 1 up`, /link state 'up'/],
    ["slot out of range", `${ID_A} 127.0.0.1:7000@17000 master - 0 0 1 connected 16384`, /slot 16384 is outside/],
    ["reversed range", `${ID_A} 127.0.0.1:7000@17000 master - 0 0 1 connected 10-5`, /ends before it starts/],
    ["garbage slot field", `${ID_A} 127.0.0.1:7000@17000 master - 0 0 1 connected x`, /slot field 'x'/],
    ["bad migrating id", `${ID_A} 127.0.0.1:7000@17000 master - 0 0 1 connected [5->-xyz]`, /migration target 'xyz'/],
    ["non-numeric epoch", `${ID_A} 127.0.0.1:7000@17000 master - 0 0 e connected`, /config epoch 'e'/],
    ["second line bad", `${good}\nnonsense`, /line 2:/],
    ["no myself line", good.replace("myself,", ""), /no line carries the myself flag/],
    ["no myself line among several", `${good.replace("myself,", "")}\n${good.replace(ID_A, ID_B).replace("myself,", "")}`, /no line carries the myself flag/],
    ["two myself lines", `${good}\n${good.replace(ID_A, ID_B)}`, /2 lines carry the myself flag/],
    ["duplicate id", `${good}\n${good.replace("myself,", "")}`, /appears twice/],
  ])("%s", (_name, text, message) => {
    let caught: unknown;
    try {
      parseClusterNodes(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BadReplyError);
    expect((caught as BadReplyError).code).toBe("bad_reply");
    expect((caught as Error).message).toMatch(message);
  });
});
