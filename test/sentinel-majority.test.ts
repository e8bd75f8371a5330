// Quorum versus majority on real redis-sentinel processes, as Redis's own Sentinel tests
// check it: with 2 of 3 sentinels dead, the last one sees the master subjectively down but
// reaches no ODOWN with quorum 2; given quorum 1 it reaches ODOWN but its failover is
// aborted for want of a majority (-failover-abort-not-elected) and nothing is repointed;
// with the sentinels back, a majority elects a leader, a replica is promoted and the other
// replica is repointed to it. The events are read from the sentinel's own pub/sub.
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { allTools } from "../tools/index.js";
import { labFault } from "../src/lab/faults/index.js";
import { loadLab } from "../src/lab/index.js";
import { formatAddress, parseAddress } from "../src/redis/address.js";
import { invokeTool } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { useTempLabHome } from "./helpers/env.js";

useTempLabHome();

async function ok(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const tool = allTools.find((t) => t.name === name)!;
  const r = await invokeTool(tool, args, { ctx: { progress: () => {}, signal: new AbortController().signal, targets: createResolver({ allowAdhocMutations: true }) } });
  if (!r.ok) throw new Error(`${name}: ${r.summary}`);
  return r.output;
}

const client = (address: string) => {
  const { host, port } = parseAddress(address);
  return new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 1 });
};

/** Every event a sentinel publishes (+sdown, +odown, +try-failover, ...), in order. */
async function listen(sentinel: string): Promise<{ events: string[]; waitFor(event: string, timeoutMs: number): Promise<void>; close(): Promise<void> }> {
  const sub = client(sentinel);
  const events: string[] = [];
  sub.on("pmessage", (_p: string, channel: string, message: string) => events.push(`${channel} ${message}`));
  await sub.connect();
  await sub.psubscribe("*");
  return {
    events,
    async waitFor(event, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!events.some((e) => e.startsWith(`${event} `))) {
        if (Date.now() > deadline) throw new Error(`no ${event} within ${timeoutMs} ms; saw: ${events.join(" | ")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: async () => void sub.disconnect(),
  };
}

async function masterOf(node: string): Promise<string> {
  const c = client(node);
  try {
    await c.connect();
    const info = await c.info("replication");
    const host = /master_host:(\S+)/.exec(info)?.[1];
    const port = /master_port:(\d+)/.exec(info)?.[1];
    return /role:master/.test(info) ? "master" : `${host}:${port}`;
  } finally {
    c.disconnect();
  }
}

async function sentinelSays(sentinel: string): Promise<string> {
  const c = client(sentinel);
  try {
    await c.connect();
    const [host, port] = (await c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")) as string[];
    return `${host}:${port}`;
  } finally {
    c.disconnect();
  }
}

describe("quorum detects, only a majority fails over", () => {
  it("no ODOWN without quorum, no failover without a majority, then a majority promotes and repoints", { timeout: 180_000 }, async () => {
    await ok("lab_up", { name: "sent-major", nodes: 3, sentinels: 3, zones: 1, cluster: false, config: { "repl-diskless-sync-delay": "0" } });
    const lab = (await loadLab("sent-major"))!;
    const [a, b, c] = lab.nodes.map((n) => formatAddress(n));
    const [s0, s1, s2] = lab.sentinels!.map((s) => formatAddress(s));
    await ok("replication_attach", { lab: "sent-major", confirm: true });
    // down-after 3 s: a sentinel promotes only replicas cut off for less than 10 down-after periods plus the time since it saw
    // the master down, so the sentinels restarted below must still find the replicas fresh enough. failover-timeout 6 s is
    // also how long an election waits for votes.
    await ok("sentinel_monitor", { lab: "sent-major", quorum: 2, downAfterMs: 3000, failoverTimeoutMs: 6000 });

    // Two of three sentinels gone, then the master: the last sentinel alone.
    await labFault("sent-major", s1, "kill");
    await labFault("sent-major", s2, "kill");
    const last = await listen(s0);
    try {
      await labFault("sent-major", a, "kill");
      await last.waitFor("+sdown", 30_000);
      // Quorum 2 cannot be met by one sentinel: subjectively down only (with quorum met, ODOWN would follow at once).
      await new Promise((r) => setTimeout(r, 3000));
      expect(last.events.filter((e) => e.startsWith("+odown "))).toEqual([]);

      // Quorum 1: the same sentinel now reaches ODOWN by itself, tries to fail over, and is not elected (1 of 3 votes).
      const s = client(s0);
      await s.connect();
      await s.call("SENTINEL", "SET", "mymaster", "quorum", "1");
      s.disconnect();
      await last.waitFor("+odown", 30_000);
      await last.waitFor("-failover-abort-not-elected", 60_000);
      expect(last.events.filter((e) => e.startsWith("+switch-master ") || e.startsWith("+promoted-slave "))).toEqual([]);
      expect(await sentinelSays(s0)).toBe(a);
      expect([await masterOf(b), await masterOf(c)]).toEqual([a, a]);

      // The other two come back: a majority elects a leader, one replica is promoted, the other follows it.
      await labFault("sent-major", s1, "start");
      await labFault("sent-major", s2, "start");
      await last.waitFor("+switch-master", 90_000);
      const promoted = await sentinelSays(s0);
      expect([b, c]).toContain(promoted);
      const other = promoted === b ? c : b;
      expect(await masterOf(promoted)).toBe("master");
      const deadline = Date.now() + 30_000;
      while ((await masterOf(other)) !== promoted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await masterOf(other)).toBe(promoted);
    } finally {
      await last.close();
    }
  });
});
