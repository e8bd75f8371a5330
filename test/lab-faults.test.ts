// Lab faults on the local backend, on real redis-server processes: each fault applied
// and undone (kill -9, stop/start, restart, pause/unpause, partition/heal), recorded in
// the lab state, shown by lab status, refused when it makes no sense, and undone by
// lab down, which leaves no process and no iptables rule.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labStatus, labUp, loadLab } from "../src/lab/index.js";
import { labFault, labHeal, labPartition } from "../src/lab/faults/index.js";
import { chainName } from "../src/lab/faults/partition-rules.js";
import { isNodeProcess } from "../src/lab/node-process.js";
import { labStateDir } from "../src/lab/store.js";
import type { LabState } from "../src/lab/types.js";
import { useTempLabHome } from "./helpers/env.js";
import { canConnect, iptablesRules, partitionSkipReason, pingOutcome } from "./helpers/faults.js";

useTempLabHome();

const noPartitions = partitionSkipReason();
if (noPartitions) process.stderr.write(`lab-faults: partition tests skipped: ${noPartitions}\n`);

describe("node faults on the local backend", () => {
  let lab: LabState;
  beforeAll(async () => {
    lab = await labUp({ name: "faults", nodes: 3, zones: 3, cluster: false });
  });
  afterAll(async () => {
    if (await loadLab("faults")) await labDown("faults");
  });

  it("kill -9 leaves the process gone and the fault recorded; start brings the node back on its port", async () => {
    const node = lab.nodes[0];
    const killed = await labFault("faults", 0, "kill");
    expect(killed.node.fault).toBe("killed");
    expect(isNodeProcess(node.pid!, node.dir)).toBe(false);
    expect(await pingOutcome(node.host, node.port)).toBe("refused");
    const status = (await labStatus("faults")).nodes[0];
    expect(status).toMatchObject({ running: false, fault: "killed" });

    await expect(labFault("faults", 0, "kill")).rejects.toThrow(/already killed/);
    const started = await labFault("faults", `${node.host}:${node.port}`, "start");
    expect(started.node.fault).toBeUndefined();
    expect(started.node.pid).not.toBe(node.pid);
    expect(await pingOutcome(node.host, node.port)).toBe("pong");
    expect((await loadLab("faults"))!.nodes[0]).toMatchObject({ pid: started.node.pid });
    expect((await loadLab("faults"))!.nodes[0].fault).toBeUndefined();
  });

  it("stop, then start; restart gives a new process on the same port", async () => {
    const node = lab.nodes[1];
    expect((await labFault("faults", 1, "stop")).node.fault).toBe("stopped");
    expect(await pingOutcome(node.host, node.port)).toBe("refused");
    await labFault("faults", 1, "start");
    expect(await pingOutcome(node.host, node.port)).toBe("pong");
    const before = (await loadLab("faults"))!.nodes[1].pid;
    const restarted = await labFault("faults", 1, "restart");
    expect(restarted.node.pid).not.toBe(before);
    expect(await pingOutcome(node.host, node.port)).toBe("pong");
  });

  it("pause: alive to TCP, silent to Redis; unpause: answers again", async () => {
    const node = lab.nodes[2];
    await labFault("faults", 2, "pause");
    expect(await pingOutcome(node.host, node.port)).toBe("connected");
    expect((await labStatus("faults")).nodes[2]).toMatchObject({ running: false, fault: "paused" });
    await expect(labFault("faults", 2, "start")).rejects.toMatchObject({ message: expect.stringMatching(/paused, not stopped/), next: expect.stringMatching(/lab_unpause/) });
    await labFault("faults", 2, "unpause");
    expect(await pingOutcome(node.host, node.port)).toBe("pong");
    await expect(labFault("faults", 2, "unpause")).rejects.toThrow(/not paused/);
  });

  it("names the nodes a wrong reference could have meant", async () => {
    await expect(labFault("faults", "127.0.9.9:1", "kill")).rejects.toThrow(/no node '127\.0\.9\.9:1'.*0=127\.0\.1\.1:/);
    await expect(labFault("faults", 7, "kill")).rejects.toThrow(/no node '7'/);
  });

  it("lab down stops a paused node and a killed one is no obstacle", async () => {
    await labFault("faults", 0, "pause");
    await labFault("faults", 1, "kill");
    const pids = (await loadLab("faults"))!.nodes.map((n) => [n.pid!, n.dir] as const);
    await labDown("faults");
    for (const [pid, dir] of pids) expect(isNodeProcess(pid, dir)).toBe(false);
    expect(existsSync(lab.dir)).toBe(false);
  });
});

describe("faults on a local sentinel", () => {
  it("kills sentinel s0 and starts it again as a sentinel on its port", async () => {
    const lab = await labUp({ name: "fsent", nodes: 1, sentinels: 1, cluster: false });
    try {
      const s0 = lab.sentinels![0];
      expect((await labFault("fsent", "s0", "kill")).node.fault).toBe("killed");
      expect(await pingOutcome(s0.host, s0.port)).toBe("refused");
      await labFault("fsent", `${s0.host}:${s0.port}`, "start");
      expect((await labStatus("fsent")).nodes.find((n) => n.address === `${s0.host}:${s0.port}`)).toMatchObject({ running: true, role: "sentinel" });
      await expect(labFault("fsent", "s7", "kill")).rejects.toThrow(/no node 's7'.*s0=/);
    } finally {
      await labDown("fsent");
    }
  });
});

describe.skipIf(noPartitions !== undefined)(`partitions on the local backend${noPartitions ? ` (skipped: ${noPartitions})` : ""}`, () => {
  let lab: LabState;
  beforeAll(async () => {
    lab = await labUp({ name: "cut", nodes: 3, zones: 3, cluster: false });
  });
  afterAll(async () => {
    if (await loadLab("cut")) await labDown("cut");
  });

  it("cuts one zone off both ways, leaves the others and 127.0.0.1 connected, and heals", async () => {
    const [a, b, c] = lab.nodes; // zones z1, z2, z3
    const result = await labPartition("cut", "z1");
    expect(result.cuts).toEqual([["z1", "z2"], ["z1", "z3"]]);
    expect(await canConnect(b.host, b.port, a.host)).toBe(false);
    expect(await canConnect(a.host, a.port, c.host)).toBe(false);
    expect(await canConnect(c.host, c.port, b.host)).toBe(true);
    expect(await canConnect(a.host, a.port)).toBe(true); // the operator's side
    expect(await iptablesRules()).toContain(result.chain);

    // Cuts add up, and healing one zone keeps the others' cuts.
    expect((await labPartition("cut", "z2")).cuts).toEqual([["z1", "z2"], ["z1", "z3"], ["z2", "z3"]]);
    expect(await canConnect(c.host, c.port, b.host)).toBe(false);
    expect((await labHeal("cut", "z1")).cuts).toEqual([["z2", "z3"]]);
    expect(await canConnect(b.host, b.port, a.host)).toBe(true);
    expect(await canConnect(c.host, c.port, b.host)).toBe(false);

    expect((await labHeal("cut")).cuts).toEqual([]);
    expect(await canConnect(c.host, c.port, b.host)).toBe(true);
    expect(await iptablesRules()).not.toContain(result.chain);
    expect((await loadLab("cut"))!.cuts).toEqual([]);
  });

  it("cuts only this lab: another lab's nodes on the same zone addresses keep talking", async () => {
    const other = await labUp({ name: "bystander", nodes: 2, zones: 2, cluster: false });
    try {
      const [a] = lab.nodes;
      const [oa, ob] = other.nodes; // 127.0.1.x and 127.0.2.x, like this lab's z1 and z2
      await labPartition("cut", "z1");
      expect(await canConnect(lab.nodes[1].host, lab.nodes[1].port, a.host)).toBe(false);
      expect(await canConnect(ob.host, ob.port, oa.host)).toBe(true);
      expect(await canConnect(oa.host, oa.port, ob.host)).toBe(true);
    } finally {
      await labHeal("cut");
      await labDown("bystander");
    }
  });

  it("refuses a zone the lab does not have", async () => {
    await expect(labPartition("cut", "z7")).rejects.toThrow(/'z7' is not a zone of this lab \(zones: z1, z2, z3\)/);
  });

  it("lab down removes the rules of a partition still in place", async () => {
    const chain = chainName(labStateDir("cut"));
    await labPartition("cut", "z3");
    expect(await iptablesRules()).toContain(chain);
    await labDown("cut");
    expect(await iptablesRules()).not.toContain(chain);
  });
});
