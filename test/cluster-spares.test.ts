// A lab with a node beside its cluster: the spare is not counted as a member (check
// passes with --lab), add-node takes it with --lab, and del-node --lab NODE removes a
// node and resets it (soft, by default), so the lab checks clean again. redis-cli agrees.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labUp } from "../src/lab/index.js";
import { formatAddress, parseAddress } from "../src/redis/address.js";
import { runBin } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";

useTempLabHome();
const LAB = "spares";
let nodes: string[] = [];

async function knownNodes(address: string): Promise<number> {
  const { host, port } = parseAddress(address);
  const r = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    return String(await r.call("CLUSTER", "NODES")).trim().split("\n").length;
  } finally {
    r.disconnect();
  }
}

beforeAll(async () => {
  const lab = await labUp({ name: LAB, nodes: 7, zones: 3 });
  nodes = lab.nodes.map((n) => formatAddress(n));
  const create = await runBin(["cluster", "create", ...nodes.slice(0, 6), "--replicas", "1", "--yes"]);
  expect(create.code, create.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await runBin(["lab", "down", LAB, "--yes"]);
});

describe("a lab with a spare node", () => {
  it("checks clean with --lab: the spare is not a member", async () => {
    const r = await runBin(["cluster", "check", "--lab", LAB]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^OK: 6 nodes \(3 masters, 3 replicas\)/);
  });

  it("add-node NEW --lab takes the spare; del-node --lab NODE removes it and resets it, and the lab checks clean", async () => {
    const spare = nodes[6];
    const add = await runBin(["cluster", "add-node", spare, "--lab", LAB, "--yes"]);
    expect(add.code, add.stderr).toBe(0);
    expect(await knownNodes(spare)).toBe(7);
    const del = await runBin(["cluster", "del-node", "--lab", LAB, spare, "--yes"]);
    expect(del.code, del.stdout + del.stderr).toBe(0);
    expect(del.stdout).toMatch(/CLUSTER RESET SOFT on /);
    expect(await knownNodes(spare)).toBe(1);
    const check = await runBin(["cluster", "check", "--lab", LAB]);
    expect(check.code, check.stdout).toBe(0);
    const judge = await redisCliClusterCheck(nodes[0]);
    expect(judge.ok, judge.output).toBe(true);
  });
});
