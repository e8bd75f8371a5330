/**
 * cluster add-node: join an empty node to a cluster, as a master without slots or as a
 * replica (of the named master, or one chosen by placement.ts). Returns only when every
 * node knows the new one, the new node reports cluster_state ok and agrees on the slot
 * map, and a replica's link is up: redis-cli returns as soon as MEET is sent, and a
 * rebalance started then fails with CLUSTERDOWN. The new node's rejoin delay (it counts
 * itself in a minority until it meets the cluster, then waits cluster-node-timeout, up to
 * 5 s) is cut by lowering its cluster-node-timeout to 500 ms while it joins, put back
 * (and re-read) afterwards, whatever happened.
 */
import type { Finding } from "../../checks/finding.js";
import { CancelledError, PilotError, TimeoutError, ValidationError, VerificationFailedError, errorMessage } from "../../errors.js";
import { NodePool } from "../../redis/connection.js";
import { argRef, toolRef } from "../../registry/words.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { readClusterView } from "../../topology/read-cluster-view.js";
import type { ClusterView } from "../../topology/types.js";
import type { OpContext } from "../progress.js";
import { preflight } from "../cluster-create/preflight.js";
import { findMaster } from "../migrate/cluster-map.js";
import { settledFindings, stableSnapshot, type ClusterTarget } from "../migrate/session.js";
import { namedPlacement, placeReplica } from "./placement.js";

export interface AddNodeRequest extends ClusterTarget {
  newNode: string;
  replica?: boolean;
  /** The master a replica serves (id, prefix or HOST:PORT). */
  masterId?: string;
  zone?: string;
  dryRun?: boolean;
  /** @default 30000 */
  timeoutMs?: number;
}

export interface AddNodeResult {
  applied: boolean;
  address: string;
  id: string;
  role: "master" | "replica";
  master?: { id: string; address: string; reason: string };
  warnings: string[];
  timings: { knownMs?: number; stateOkMs?: number; linkMs?: number; totalMs: number };
  findings: Finding[];
}

const POLL_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const JOIN_TIMEOUT = "500";

/** What joined means, read from one view. */
export function joined(view: ClusterView, id: string, masterId?: string): { known: boolean; stateOk: boolean; link: boolean } {
  const others = view.nodes.filter((n) => n.self.id !== id);
  const self = view.nodes.find((n) => n.self.id === id);
  const known = others.length > 0 && others.every((n) => n.peers.some((p) => p.id === id && !p.flags.includes("handshake")));
  const agreed = !!self && others.every((n) => n.peers.filter((p) => p.role === "master").every((p) => JSON.stringify(self.peers.find((q) => q.id === p.id)?.slots) === JSON.stringify(p.slots)));
  const stateOk = !!self && self.clusterState === "ok" && agreed;
  const link = !masterId || (!!self && self.self.masterId === masterId && self.replication.masterLinkStatus === "up" && others.every((n) => n.peers.find((p) => p.id === id)?.masterId === masterId));
  return { known, stateOk, link };
}

export async function addNode(req: AddNodeRequest, ctx: OpContext): Promise<AddNodeResult> {
  const t0 = Date.now();
  const address = formatAddress(parseAddress(req.newNode));
  if (req.masterId && !req.replica) throw new ValidationError("A master id was given without replica.", `Add ${argRef("replica", "true", "cluster_add_node")} to join as a replica of that master, or leave out ${argRef("masterId", undefined, "cluster_add_node")}.`);
  const pool = new NodePool(req.access);
  try {
    const snap = await stableSnapshot(pool, req);
    if (snap.map.nodes.some((n) => n.address === address)) throw new ValidationError(`${address} is already a member of this cluster.`, "Name an empty node that is not in the cluster yet.");
    // The caller chose this address: it gets its own owner's credentials and policy, not the cluster's.
    const grant = await req.access.name(address);
    const [fresh] = await preflight(pool, [address]);
    const zone = req.zone ?? grant.zone;
    const placement = req.replica ? (req.masterId ? namedPlacement(findMaster(snap.map, req.masterId, "master for the replica"), { host: fresh.ip, zone }) : placeReplica(snap.map, { host: fresh.ip, zone })) : undefined;
    if (req.replica && !placement) throw new ValidationError("The cluster has no master with slots for a replica to serve.", "Add it as a master, or give the cluster slots first.");
    if (placement && req.access.connection(placement.master.address).password && !fresh.masterauthSet) {
      throw new PilotError("masterauth_missing", `${address} would replicate ${placement.master.address}, which requires a password, but ${address} has no masterauth set.`, `Set masterauth (and masteruser with ACLs) on ${address}, e.g. CONFIG SET masterauth <password>, then retry.`);
    }
    const warnings = placement && "warning" in placement && placement.warning ? [placement.warning] : [];
    const result = (applied: boolean, timings: AddNodeResult["timings"], findings: Finding[]): AddNodeResult => ({
      applied,
      address,
      id: fresh.id,
      role: req.replica ? "replica" : "master",
      ...(placement ? { master: { id: placement.master.id, address: placement.master.address, reason: placement.reason } } : {}),
      warnings,
      timings,
      findings,
    });
    if (req.dryRun) return result(false, { totalMs: Date.now() - t0 }, []);

    const client = await pool.get(address);
    const original = fresh.settings["cluster-node-timeout"];
    await client.call("CONFIG", "SET", "cluster-node-timeout", JOIN_TIMEOUT);
    const timings: AddNodeResult["timings"] = { totalMs: 0 };
    let failure: unknown;
    try {
      // MEET every member directly: each learns the new node in one handshake, not by gossip.
      const members = snap.map.nodes.filter((n) => n.busIp && n.port);
      await Promise.all(members.map((m) => client.call("CLUSTER", "MEET", m.busIp, String(m.port), String(m.busPort))));
      const masterId = placement?.master.id;
      const deadline = t0 + (req.timeoutMs ?? 30_000);
      let replicated = !masterId;
      for (;;) {
        if (ctx.signal?.aborted) throw new CancelledError("add-node was cancelled; the node may already be a member.", `Run ${toolRef("cluster_check")}; remove it with ${toolRef("cluster_del_node")} if it should not stay.`);
        const view = await readClusterView([address, ...req.addresses], { pool, zones: req.zones, discover: false });
        if (!replicated && view.nodes.find((n) => n.self.id === fresh.id)?.peers.some((p) => p.id === masterId && !p.flags.includes("handshake"))) {
          await client.call("CLUSTER", "REPLICATE", masterId!);
          replicated = true;
        }
        const j = joined(view, fresh.id, replicated ? masterId : "pending");
        const at = Date.now() - t0;
        if (j.known && timings.knownMs === undefined) timings.knownMs = at;
        if (j.stateOk && timings.stateOkMs === undefined) timings.stateOkMs = at;
        if (j.link && replicated && masterId && timings.linkMs === undefined) timings.linkMs = at;
        if (j.known && j.stateOk && replicated && j.link) break;
        if (Date.now() > deadline) throw new TimeoutError(`${address} joining the cluster (${j.known ? "" : "not known to every node; "}${j.stateOk ? "" : "cluster_state not ok on it; "}${j.link ? "" : "replication link not up"})`, req.timeoutMs ?? 30_000);
        await sleep(POLL_MS);
      }
    } catch (err) {
      failure = err;
    }
    // Put the node timeout back whatever happened, and prove it.
    const restored = await client.call("CONFIG", "SET", "cluster-node-timeout", original).then(
      async () => String(((await client.call("CONFIG", "GET", "cluster-node-timeout")) as string[])[1]) === original,
      () => false,
    );
    if (!restored) {
      const msg = `cluster-node-timeout on ${address} could not be put back to ${original}`;
      if (failure) throw new PilotError("settings_not_restored", `${errorMessage(failure)} Also, ${msg}.`, `Run CONFIG SET cluster-node-timeout ${original} on ${address}.`);
      throw new PilotError("settings_not_restored", `${address} joined, but ${msg}.`, `Run CONFIG SET cluster-node-timeout ${original} on ${address}.`);
    }
    if (failure) throw failure;
    // A node that joined with a short node timeout may have flagged a slow peer fail? meanwhile: wait it out.
    const { findings } = await settledFindings(pool, { ...req, addresses: [address, ...req.addresses] }, t0 + (req.timeoutMs ?? 30_000), (f) => f.code === "master_without_replica" && f.node === address);
    timings.totalMs = Date.now() - t0;
    const errors = findings.filter((f) => f.severity === "error");
    if (errors.length) throw new VerificationFailedError(`${address} joined but the cluster did not verify: ${errors[0].message}`, findings);
    return result(true, timings, findings);
  } finally {
    await pool.close();
  }
}
