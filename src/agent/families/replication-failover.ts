/**
 * The failover family's plan where no Redis Cluster runs: "fail over mymaster" on a
 * Sentinel-managed master is SENTINEL FAILOVER (sentinel_failover); "promote
 * 127.0.1.2:7001" is a planned switchover that loses nothing while its master answers
 * (replication_switchover, which re-points the lab's sentinels too), or, with the master
 * gone and no sentinels, replication_promote. Pure: place and history in, next call out.
 */
import { plural } from "../intent.js";
import type { CallOutcome } from "../planner.js";
import type { Next, PlanEnv, Step } from "./family.js";
import { INFO_TOOL, lastOutput, placeArgs, replicationRows, type HaPlace, type ReplicationRow } from "./ha-place.js";

export interface ReplicationFailoverAsk {
  count: number;
  /** A Sentinel master name ("fail over mymaster"). */
  name?: string;
  /** "promote X", "switch over to X": the named node is the replica to promote. */
  promote: boolean;
  /** The addresses the request named. */
  nodes?: string[];
}

const ACTS = ["sentinel_failover", "replication_switchover", "replication_promote"] as const;

/** The call that acted (it ran, or a dry run skipped it), once there is one. */
const acted = (history: readonly CallOutcome[]) => history.find((h) => (ACTS as readonly string[]).includes(h.call.tool));

interface SwitchoverOut { applied: boolean; from: string; to: string; writableMs?: number }
interface PromoteOut { applied: boolean; replica: string; oldMaster?: string; repoint: string[]; writableMs?: number }
interface SentinelFailoverOut { applied: boolean; name: string; oldMaster: string; newMaster?: string; replicas: string[]; writableMs?: number }

function doneText(o: CallOutcome, env: PlanEnv): string {
  const out = o.result?.ok ? o.result.output : undefined;
  if (!out || out.applied === false) {
    const a = o.call.args;
    if (o.call.tool === "sentinel_failover") return `Would fail over ${a.name ?? "the master"} with SENTINEL FAILOVER: a sentinel promotes a replica; writes the master had not replicated would be lost.`;
    if (o.call.tool === "replication_switchover") return `Would switch over from ${a.master} to ${a.to ?? "its most up-to-date replica"}: writes pause for tens of milliseconds and no acknowledged write is lost.`;
    return `Would promote ${a.replica}: its master is gone, so writes it had not replicated are lost.`;
  }
  if (o.call.tool === "sentinel_failover") {
    const f = out as unknown as SentinelFailoverOut;
    return `Failed over ${f.name} from ${f.oldMaster} to ${f.newMaster}: writable after ${f.writableMs} ms; every sentinel and replica follows the new master.`;
  }
  if (o.call.tool === "replication_switchover") {
    const s = out as unknown as SwitchoverOut;
    return `${env.dryRun ? "Would switch" : "Switched"} over from ${s.from} to ${s.to}: writable after ${s.writableMs} ms, no acknowledged write lost; ${s.from} now replicates from ${s.to}.`;
  }
  const p = out as unknown as PromoteOut;
  return `Promoted ${p.replica} (writable after ${p.writableMs} ms)${p.repoint.length ? `; ${p.repoint.join(", ")} now replicate from it` : ""}. ${p.oldMaster ? `The old master ${p.oldMaster} must rejoin as its replica (replication_attach) before it takes writes again.` : ""}`.trim();
}

/** Addresses as a replica names its master and as the view lists nodes are the same spelling in a lab; compare both ways. */
const rowAt = (rows: ReplicationRow[], address: string | undefined) => rows.find((r) => r.address === address);

export function planReplicationFailover(ask: ReplicationFailoverAsk, place: HaPlace, history: readonly CallOutcome[], env: PlanEnv): Next {
  const at = place.lab ? `lab ${place.lab}` : place.where.target ? `target ${place.where.target}` : ask.nodes?.join(" ") ?? "there";
  if (ask.count > 1) return { refuse: `${at[0].toUpperCase()}${at.slice(1)} runs one master with its replicas, so ${plural(ask.count, "master")} cannot be failed over; only a Redis Cluster has several.`, reason: "impossible" };
  if (ask.name && place.kind !== "sentinel") {
    return { refuse: `No sentinels run at ${at}, so no master is named ${ask.name} there; without Sentinel, "fail over the master in ${at}" switches over by hand.`, reason: "impossible" };
  }
  const done = acted(history);
  if (done) return { done: doneText(done, env) };

  // Sentinel decides the failover unless a particular replica is to be promoted.
  const named = ask.nodes?.[0];
  if (place.kind === "sentinel" && !(ask.promote && named)) {
    const args = { ...placeArgs(place), ...(ask.name ? { name: ask.name } : {}) };
    return { call: { tool: "sentinel_failover", args }, text: `Plan: SENTINEL FAILOVER${ask.name ? ` ${ask.name}` : ""} through the sentinels of ${at} (sentinel_failover: a sentinel promotes the best replica, then every sentinel and replica must follow it), then sentinel_check.` };
  }
  const view = replicationRows(history);
  if (!view) return { call: { tool: INFO_TOOL, args: placeArgs(place) }, text: `Plan: read the replication at ${at} with ${INFO_TOOL}, then ${ask.promote ? `promote ${named ?? "a replica"}` : "switch the master over to a replica"} and verify.` };
  const rows = view.nodes;
  const subject = named ? rowAt(rows, named) : undefined;
  if (named && !subject) return { refuse: `${named} did not answer INFO replication${view.unreachable.length ? ` (${view.unreachable.map((u) => u.address).join(", ")} did not answer)` : ""}.`, reason: "impossible" };
  if (subject?.role === "replica") return promoteReplica(subject, rows, place, at);
  if (subject && ask.promote) return { refuse: `${subject.address} is already a master (it replicates from nobody); name one of its replicas${subject.replicas?.length ? ` (${subject.replicas.join(", ")})` : ""} to promote.`, reason: "impossible" };
  // A master: the one named, else the only one with replicas.
  const withReplicas = rows.filter((r) => r.role === "master" && r.replicas?.length);
  const master = subject ?? (withReplicas.length === 1 ? withReplicas[0] : undefined);
  if (!master) {
    return withReplicas.length
      ? { refuse: `Several masters at ${at} have replicas (${withReplicas.map((m) => m.address).join(", ")}); name the one to fail over, e.g. "fail over the master at ${withReplicas[0].address}".`, reason: "ambiguous" }
      : { refuse: `No master at ${at} has a replica to take over.`, reason: "impossible" };
  }
  if (!master.replicas?.length) return { refuse: `${master.address} has no replica to take over.`, reason: "impossible" };
  return { call: switchover(place, master.address) };
}

function switchover(place: HaPlace, master: string, to?: string): Step {
  const where = place.lab || place.where.target ? placeArgs(place) : { nodes: [master, ...(to ? [to] : [])] };
  return { tool: "replication_switchover", args: { ...where, master, ...(to ? { to } : {}) } };
}

function promoteReplica(replica: ReplicationRow, rows: ReplicationRow[], place: HaPlace, at: string): Next {
  const master = rowAt(rows, replica.master);
  if (master?.role === "master") return { call: switchover(place, master.address, replica.address) };
  if (place.kind === "sentinel") {
    return { refuse: `The master of ${replica.address} (${replica.master}) does not answer, and sentinels watch it at ${at}: they promote a replica themselves once it has been down for down-after-milliseconds; see what they decided with sentinel_check.`, reason: "impossible" };
  }
  const siblings = rows.filter((r) => r.role === "replica" && r.master === replica.master && r.address !== replica.address).map((r) => r.address);
  const where = place.lab || place.where.target ? placeArgs(place) : { nodes: [replica.address, ...siblings] };
  return { call: { tool: "replication_promote", args: { ...where, replica: replica.address } } };
}

/** The check that proves it: the sentinels agree (Sentinel), or the new master and its replicas (replication). */
export function replicationFailoverVerify(ask: ReplicationFailoverAsk, place: HaPlace, history: readonly CallOutcome[]): Step {
  if (place.kind === "sentinel") return { tool: "sentinel_check", args: { ...placeArgs(place), ...(ask.name ? { name: ask.name } : {}) } };
  const newMaster = lastOutput<SwitchoverOut>(history, "replication_switchover")?.to ?? lastOutput<PromoteOut>(history, "replication_promote")?.replica;
  return { tool: "replication_check", args: newMaster ? { nodes: [newMaster] } : placeArgs(place) };
}
