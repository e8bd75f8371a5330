// The requests through the built-in planner on real redis-server and
// redis-sentinel processes, each verified: "Set up Redis Sentinel with 3 nodes for
// automatic failover", "fail over mymaster" (a cluster lab and a read-replicas lab run
// beside it, so the plan must find the one Sentinel watches), "promote <addr>" (a planned
// switchover the sentinels follow), and "add 2 replicas to <addr>" on a lab with no spare
// node (started in a lab of their own, attached, verified).
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { runAgent, type AgentRun } from "../src/agent/run.js";
import { labUp, loadLab } from "../src/lab/index.js";
import { formatAddress, parseAddress } from "../src/redis/address.js";
import { downAllLabs, useTempLabHome } from "./helpers/env.js";

useTempLabHome();
afterAll(downAllLabs);

const run = (request: string, extra: Partial<Parameters<typeof runAgent>[0]> = {}): Promise<AgentRun> =>
  runAgent({ request, planner: "builtin", config: { targets: {} }, yes: true, ...extra });

async function ask<T>(address: string, ...command: [string, ...string[]]): Promise<T> {
  const { host, port } = parseAddress(address);
  const c = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await c.connect();
    return (await c.call(...command)) as T;
  } finally {
    c.disconnect();
  }
}
const role = async (address: string) => String(await ask<string>(address, "INFO", "replication")).match(/^role:(\w+)/m)?.[1];

describe("Sentinel: set up, fail over by name, promote by address", () => {
  it("Set up Redis Sentinel with 3 nodes for automatic failover; fail over mymaster; promote a replica", async () => {
    await labUp({ name: "other", template: "read-replicas", replicas: 1 });
    const setup = await run("Set up Redis Sentinel with 3 nodes for automatic failover", { newLabName: () => "s3" });
    expect(setup.outcome, setup.message).toBe("verified");
    expect(setup.steps.map((s) => s.tool)).toEqual(["lab_up", "sentinel_check"]);
    const lab = (await loadLab("s3"))!;
    const sentinel = formatAddress(lab.sentinels![0]);
    const masterNow = async () => (await ask<string[]>(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")).join(":");
    const before = await masterNow();

    const failover = await run("fail over mymaster");
    expect(failover.outcome, failover.message).toBe("verified");
    expect(failover.steps.map((s) => s.tool)).toEqual(["lab_list", "sentinel_failover", "sentinel_check"]);
    const after = await masterNow();
    expect(after).not.toBe(before);
    expect(failover.message).toBe(`${failover.message.match(/^Failed over mymaster from \S+ to \S+: writable after \d+ ms; every sentinel and replica follows the new master\.$/)?.[0]}`);
    expect(await role(after)).toBe("master");

    // A replica of the new master, by address: the planned switchover moves the sentinels with it.
    const replica = lab.nodes.map((n) => formatAddress(n)).find((a) => a !== after)!;
    const promote = await run(`promote ${replica}`);
    expect(promote.outcome, promote.message).toBe("verified");
    expect(promote.steps.map((s) => s.tool)).toEqual(["lab_list", "replication_info", "replication_switchover", "sentinel_check"]);
    expect(promote.message).toMatch(new RegExp(`^Switched over from ${after} to ${replica}: writable after \\d+ ms, no acknowledged write lost`));
    expect(await masterNow()).toBe(replica);
    expect(await role(replica)).toBe("master");
  });

  it("fail over a master name no sentinel knows: one sentence, nothing changed", async () => {
    const lab = (await loadLab("s3"))!;
    const sentinel = formatAddress(lab.sentinels![0]);
    const before = await ask<string[]>(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
    const r = await run("fail over nosuchmaster in lab s3");
    expect(r.outcome).toBe("failed");
    expect(r.message).toMatch(/^sentinel_failover failed: .*nosuchmaster/);
    expect(await ask<string[]>(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")).toEqual(before);
  });
});

describe("add replicas to a plain master by address", () => {
  it("add 2 replicas to <master> of a read-replicas lab with no spare node: started, attached, verified", async () => {
    const lab = await labUp({ name: "reads", template: "read-replicas", replicas: 1 });
    const master = lab.topology!.master!;
    const r = await run(`add 2 replicas to ${master}`, { newLabName: () => "more" });
    expect(r.outcome, r.message).toBe("verified");
    expect(r.steps.map((s) => s.tool)).toEqual(["lab_list", "replication_info", "lab_up", "replication_attach", "replication_check"]);
    expect(r.message).toMatch(/^Made \S+, \S+ replicas of \S+, in sync after \d+ ms \(new nodes in lab more; remove them with lab_down more\)/);
    expect(String(await ask<string>(master, "INFO", "replication"))).toMatch(/^connected_slaves:3$/m);
  });
});
