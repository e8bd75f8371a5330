/**
 * cluster create, step 2: apply the plan, as fast as the servers allow and no faster.
 *
 * Why each wait is short (measured on redis 7.0, see docs/cluster-create.md):
 * - A master stays cluster_state:fail for a rejoin delay (cluster-node-timeout clamped
 *   to 0.5-5 s) after it last counted itself in a minority, which every empty node
 *   does. We assign slots first, so that clock starts at once, and run the build with
 *   cluster-node-timeout 500: the delay becomes 0.5 s instead of 5 s.
 * - A node applies the slots of a peer met by handshake only from that peer's next
 *   regular ping; a MEET to an already-known node delivers the sender's header at once.
 *   So once the mesh is complete every node MEETs the others again (slots, roles).
 * - Diskless sync waits repl-diskless-sync-delay (5 s) for more replicas: 0 during the build.
 * - Replicas must not start a failover while the cluster forms with a short
 *   timeout: cluster-replica-no-failover yes during the build.
 * All three (settings.ts) are restored on every node before verify, also after a
 * failed or cancelled build, and verify re-reads them.
 */
import { CancelledError, TimeoutError } from "../../errors.js";
import { parseAddress } from "../../redis/address.js";
import type { NodePool } from "../../redis/connection.js";
import { readClusterView } from "../../topology/read-cluster-view.js";
import type { ClusterView } from "../../topology/types.js";
import type { OpContext } from "../progress.js";
import { milestones, type Milestones } from "./milestones.js";
import type { CreatePlan } from "./plan.js";
import type { PreflightNode } from "./preflight.js";
import { BUILD_SETTINGS } from "./settings.js";

export interface ApplyTimings {
  /** ms from apply start: mesh complete, slots agreed, state ok everywhere, links up, converged. */
  meshMs?: number;
  slotsMs?: number;
  readyMs?: number;
  linksMs?: number;
  convergedMs?: number;
}

export interface ApplyOutcome {
  view: ClusterView;
  timings: ApplyTimings;
  polls: number;
}

const POLL_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CLUSTER MEET needs an IP: the one preflight's connection reached. */
function meetTargets(nodes: PreflightNode[]): Map<string, { ip: string; port: number; busPort: number }> {
  return new Map(nodes.map((n) => [n.address, { ip: n.ip, port: parseAddress(n.address).port, busPort: n.busPort }]));
}

export async function applyCreate(plan: CreatePlan, nodes: PreflightNode[], pool: NodePool, ctx: OpContext, timeoutMs: number): Promise<ApplyOutcome> {
  const t0 = Date.now();
  const at = () => Date.now() - t0;
  const emit = (step: string, message: string) => ctx.progress({ step, message, elapsedMs: at() });
  const idOf = Object.fromEntries(nodes.map((n) => [n.address, n.id]));
  const addresses = nodes.map((n) => n.address);
  const masterOf = plan.replicaOf;
  const epochs = new Map<string, number>([
    ...plan.masters.map((pm) => [pm.address, pm.configEpoch] as const),
    ...Object.keys(masterOf).map((a, i) => [a, plan.masters.length + i + 1] as const),
  ]);

  if (ctx.signal?.aborted) throw new CancelledError();
  // Phase 1, one round trip (one write) per node: slots, tune, epoch (only while the node knows no one).
  // ADDSLOTS goes first: SET-CONFIG-EPOCH makes the node re-evaluate its state, and an
  // empty node evaluated then counts itself in a minority again, restarting the rejoin clock.
  await Promise.all(
    nodes.map(async (n) => {
      const batch = (await pool.get(n.address)).pipeline();
      const pm = plan.masters.find((m) => m.address === n.address);
      if (pm) batch.call("CLUSTER", "ADDSLOTSRANGE", ...pm.slots.flatMap((s) => [String(s.start), String(s.end)]));
      batch.call("CONFIG", "SET", ...Object.entries(BUILD_SETTINGS).flat());
      if (n.configEpoch === 0) batch.call("CLUSTER", "SET-CONFIG-EPOCH", String(epochs.get(n.address)));
      const failed = (await batch.exec())?.find(([err]) => err);
      if (failed) throw failed[0];
    }),
  );
  emit("addslots", `slots assigned to ${plan.masters.length} masters, config epochs set, build settings applied`);

  if (ctx.signal?.aborted) throw new CancelledError();
  // Phase 2: full mesh, one handshake per pair, all nodes at once.
  const targets = meetTargets(nodes);
  const meet = async (from: string, to: string[]) => {
    const r = await pool.get(from);
    await Promise.all(to.map((a) => r.call("CLUSTER", "MEET", targets.get(a)!.ip, String(targets.get(a)!.port), String(targets.get(a)!.busPort))));
  };
  await Promise.all(addresses.map((a, i) => meet(a, addresses.slice(i + 1))));
  emit("meet", `CLUSTER MEET sent for ${(addresses.length * (addresses.length - 1)) / 2} pairs`);

  const timings: ApplyTimings = {};
  const replicated = new Set<string>();
  const announced = new Set<string>();
  let polls = 0;
  let last: { view: ClusterView; m: Milestones } | undefined;
  const deadline = t0 + timeoutMs;
  for (;;) {
    if (ctx.signal?.aborted) throw new CancelledError();
    const view = await readClusterView(addresses, { pool, discover: false });
    polls++;
    const m = milestones(view, plan, idOf);
    last = { view, m };
    // A replica is told its master as soon as it knows the master by id.
    await Promise.all(
      Object.entries(masterOf)
        .filter(([replica]) => !replicated.has(replica))
        .filter(([replica, master]) => view.nodes.find((n) => n.address === replica)?.peers.some((p) => p.id === idOf[master] && !p.flags.includes("handshake")))
        .map(async ([replica, master]) => {
          try {
            await (await pool.get(replica)).call("CLUSTER", "REPLICATE", idOf[master]);
            replicated.add(replica);
            emit("replicate", `${replica} replicates ${master}`);
          } catch (err) {
            // "Unknown node" right after a handshake: the next poll retries.
            if (!/unknown node/i.test(String((err as Error).message))) throw err;
          }
        }),
    );
    // Once every node knows every other, re-MEET so headers (slots, roles) land at once.
    if (m.meshComplete) {
      const pending = addresses.filter((a) => !announced.has(a) && (masterOf[a] === undefined || replicated.has(a)));
      if (pending.length) {
        await Promise.all(pending.map((a) => meet(a, addresses.filter((b) => b !== a))));
        pending.forEach((a) => announced.add(a));
      }
    }
    record(timings, m, at(), emit);
    if (m.done) return { view, timings, polls };
    if (Date.now() > deadline) {
      const missing = Object.entries(m).filter(([k, v]) => typeof v === "boolean" && !v && k !== "done").map(([k]) => k);
      throw new TimeoutError(`The cluster build (${missing.join(", ")})`, timeoutMs);
    }
    await sleep(POLL_MS);
  }
}

function record(t: ApplyTimings, m: Milestones, now: number, emit: (step: string, msg: string) => void): void {
  const mark = (key: keyof ApplyTimings, reached: boolean, msg: string) => {
    if (reached && t[key] === undefined) {
      t[key] = now;
      emit("wait", msg);
    }
  };
  mark("meshMs", m.meshComplete, "every node knows every other node");
  mark("slotsMs", m.slotsAgreed, "every node agrees on the slot map");
  mark("readyMs", m.stateOk && m.slotsAgreed, "cluster_state ok on every node");
  mark("linksMs", m.linksUp, "every replication link is up");
  mark("convergedMs", m.converged, "every node sees every replica");
}

