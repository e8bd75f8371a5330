/**
 * What the split-brain drill reads from the servers while it runs, always from 127.0.0.1
 * (outside every zone, so no cut applies to it): who owns a slot now, and whether the old
 * master has turned into a replica after the heal. Plain polling, bounded by a deadline.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { withNode, type ConnectionOptions } from "../../redis/connection.js";
import { parseClusterNodes } from "../../redis/parse-cluster-nodes.js";
import { parseInfo } from "../../redis/parse-info.js";
import { keySlot } from "../../redis/slots.js";

const POLL_MS = 50;

/** A hash tag whose slot the master at `address` serves, read from its own CLUSTER NODES. */
export async function tagServedBy(address: string, conn: ConnectionOptions): Promise<string> {
  const entries = parseClusterNodes(String(await withNode(address, conn, (c) => c.call("CLUSTER", "NODES"))));
  const self = entries.find((e) => e.flags.includes("myself"));
  const owns = (slot: number) => self?.slots.some((r) => slot >= r.start && slot <= r.end) ?? false;
  for (let i = 0; i < 100_000; i++) if (owns(keySlot(`sb${i}`))) return `sb${i}`;
  throw new Error(`${address} serves no slot: it is not a cluster master`);
}

/** A slot-serving master in `zone`, as `observer`'s CLUSTER NODES shows it. */
export async function masterInZone(observer: string, zones: Record<string, string>, zone: string, conn: ConnectionOptions): Promise<string> {
  const entries = parseClusterNodes(String(await withNode(observer, conn, (c) => c.call("CLUSTER", "NODES"))));
  const master = entries.find((e) => e.role === "master" && e.slots.length > 0 && zones[`${e.host}:${e.port}`] === zone);
  if (!master) throw new Error(`no cluster master in zone ${zone}: the cluster was not spread over the zones`);
  return `${master.host}:${master.port}`;
}

/** The master of `slot` as `address` sees it, or undefined when it cannot answer. */
async function ownerSeenBy(address: string, slot: number, conn: ConnectionOptions): Promise<string | undefined> {
  try {
    const entries = parseClusterNodes(String(await withNode(address, { ...conn, connectTimeoutMs: 300, commandTimeoutMs: 300 }, (c) => c.call("CLUSTER", "NODES"))));
    const owner = entries.find((e) => e.role === "master" && !e.flags.includes("fail") && e.slots.some((r) => slot >= r.start && slot <= r.end));
    return owner ? `${owner.host}:${owner.port}` : undefined;
  } catch {
    return undefined;
  }
}

/** Waits until `observer` names a master other than `oldMaster` for the tag's slot; its address, or undefined at the deadline. */
export async function waitClusterFailover(observer: string, tag: string, oldMaster: string, conn: ConnectionOptions, deadline: number, signal: AbortSignal): Promise<string | undefined> {
  const slot = keySlot(tag);
  while (Date.now() < deadline && !signal.aborted) {
    const owner = await ownerSeenBy(observer, slot, conn);
    if (owner && owner !== oldMaster) return owner;
    await sleep(POLL_MS);
  }
  return undefined;
}

/** Waits until the sentinel at `observer` names a master other than `oldMaster`; its address, or undefined at the deadline. */
export async function waitSentinelFailover(observer: string, name: string, oldMaster: string, conn: ConnectionOptions, deadline: number, signal: AbortSignal): Promise<string | undefined> {
  while (Date.now() < deadline && !signal.aborted) {
    try {
      const reply = (await withNode(observer, { ...conn, connectTimeoutMs: 300, commandTimeoutMs: 300 }, (c) => c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name))) as string[] | null;
      const named = reply ? `${reply[0]}:${reply[1]}` : undefined;
      if (named && named !== oldMaster) return named;
    } catch {
      // Not answering now; ask again.
    }
    await sleep(POLL_MS);
  }
  return undefined;
}

/** The node's role from INFO replication, or undefined when it cannot answer. */
export async function roleOf(address: string, conn: ConnectionOptions): Promise<"master" | "replica" | undefined> {
  try {
    const info = parseInfo(String(await withNode(address, { ...conn, connectTimeoutMs: 300, commandTimeoutMs: 300 }, (c) => c.info("replication"))));
    return info.replication?.values.role === "slave" ? "replica" : "master";
  } catch {
    return undefined;
  }
}

/** Waits until a role answer passes `done`, or the deadline; true when it did. */
export async function waitRole(address: string, conn: ConnectionOptions, done: (role: "master" | "replica" | undefined) => boolean, deadline: number, signal: AbortSignal): Promise<boolean> {
  while (Date.now() < deadline && !signal.aborted) {
    if (done(await roleOf(address, conn))) return true;
    await sleep(POLL_MS);
  }
  return false;
}
