/**
 * The add_replicas family's plan where no Redis Cluster runs: "add 2 replicas to
 * 127.0.1.1:7000" makes nodes replicas of that master with replication_attach (SYNC,
 * offsets caught up, verified). The nodes: the ones the request names, else the lab's
 * spare nodes (empty masters nothing replicates from), else new nodes started in a lab of
 * their own (lab_up) when the lab has too few. Pure: place and history in, next call out.
 */
import { plural } from "../intent.js";
import type { CallOutcome } from "../planner.js";
import type { Next, PlanEnv, Step } from "./family.js";
import { INFO_TOOL, lastOutput, placeArgs, replicationRows, type HaPlace, type ReplicationRow } from "./ha-place.js";

export interface ReplicaAddAsk {
  count: number;
  /** The master named by address ("to 127.0.1.1:7000"). */
  master?: string;
  /** Nodes named to become replicas ("add 127.0.1.4:7003 as a replica of ..."). */
  newReplicas?: string[];
}

interface LabUpOut { name: string; dryRun: boolean; nodes: { address: string }[] }
interface AttachOut { applied: boolean; master: string; replicas: { address: string }[]; syncMs?: number }

/** "X a replica", "X, Y replicas". */
const asReplicas = (names: string, n: number) => (n === 1 ? `${names} a replica` : `${names} replicas`);

const at = (p: HaPlace) => (p.lab ? `lab ${p.lab}` : p.where.target ? `target ${p.where.target}` : p.where.nodes!.join(" "));

/** The master the replicas join: the one named, else the only master with replicas, else the only master. */
function chooseMaster(ask: ReplicaAddAsk, rows: ReplicationRow[], place: HaPlace): ReplicationRow | Next {
  if (ask.master) {
    const m = rows.find((r) => r.address === ask.master);
    if (!m) return { refuse: `${ask.master} did not answer INFO replication.`, reason: "impossible" };
    if (m.role === "replica") return { refuse: `${m.address} is a replica of ${m.master}; add replicas to its master instead, e.g. "add ${ask.count} replica${ask.count > 1 ? "s" : ""} to ${m.master}".`, reason: "impossible" };
    return m;
  }
  const masters = rows.filter((r) => r.role === "master");
  const withReplicas = masters.filter((m) => m.replicas?.length);
  if (withReplicas.length === 1) return withReplicas[0];
  if (withReplicas.length === 0 && masters.length >= 1) return masters[0];
  return { refuse: `Several masters at ${at(place)} have replicas (${withReplicas.map((m) => m.address).join(", ")}); name the one, e.g. "add ${ask.count} replica${ask.count > 1 ? "s" : ""} to ${withReplicas[0].address}".`, reason: "ambiguous" };
}

/** Empty masters nothing replicates from, other than the master itself: nodes a replica can be made of without losing data. */
const spares = (rows: ReplicationRow[], master: string, lab: string | undefined, labNodes: Set<string>) =>
  rows.filter((r) => lab && labNodes.has(r.address) && r.role === "master" && !r.replicas?.length && r.keys === 0 && r.address !== master && !r.clusterEnabled).map((r) => r.address);

export function planReplicaAdds(ask: ReplicaAddAsk, place: HaPlace, history: readonly CallOutcome[], env: PlanEnv): Next {
  const attach = history.find((h) => h.call.tool === "replication_attach");
  if (attach) return { done: doneText(attach, history, env) };
  const view = replicationRows(history);
  if (!view) return { call: { tool: INFO_TOOL, args: ask.master && !place.lab ? { nodes: [ask.master] } : placeArgs(place) }, text: `Plan: read the replication at ${at(place)} with ${INFO_TOOL}, make ${asReplicas(ask.newReplicas?.join(", ") ?? plural(ask.count, "node"), ask.newReplicas?.length ?? ask.count)} of ${ask.master ?? "its master"} with replication_attach, then replication_check.` };
  const master = chooseMaster(ask, view.nodes, place);
  if (!("address" in master)) return master;

  const labNodes = new Set((lastOutput<{ labs: { name: string; nodes: { address: string }[] }[] }>(history, "lab_list")?.labs.find((l) => l.name === place.lab)?.nodes ?? []).map((n) => n.address));
  let replicas = ask.newReplicas;
  if (!replicas) {
    const have = spares(view.nodes, master.address, place.lab, labNodes).slice(0, ask.count);
    const short = ask.count - have.length;
    if (short > 0) {
      if (!place.lab) return { refuse: `${master.address} is not in a lab, so the built-in planner has no nodes to make its replicas of.`, reason: "impossible" };
      const started = history.find((h) => h.call.tool === "lab_up");
      if (!started) return { call: { tool: "lab_up", args: { name: env.newLab, nodes: short, cluster: false } }, text: `Plan: lab ${place.lab} has ${have.length ? `only ${plural(have.length, "spare node")}` : "no spare node"}, so lab_up starts ${plural(short, "node")} in lab ${env.newLab}; replication_attach makes them replicas of ${master.address}; then replication_check.` };
      const up = lastOutput<LabUpOut>(history, "lab_up");
      if (!up || up.dryRun) return { done: `Would start ${plural(short, "node")} in lab ${env.newLab} and make ${have.length ? `${have.join(", ")} and the new nodes` : "them"} replicas of ${master.address} with replication_attach.` };
      replicas = [...have, ...up.nodes.map((n) => n.address)];
    } else replicas = have;
  }
  if (replicas.includes(master.address)) return { refuse: `${master.address} cannot be a replica of itself.`, reason: "impossible" };
  const inLab = place.lab && [master.address, ...replicas].every((a) => labNodes.has(a));
  const where = inLab ? { lab: place.lab } : { nodes: [master.address, ...replicas] };
  return { call: attachStep(where, master.address, replicas) };
}

const attachStep = (where: Record<string, unknown>, master: string, replicas: string[]): Step => ({ tool: "replication_attach", args: { ...where, master, replicas } });

function doneText(attach: CallOutcome, history: readonly CallOutcome[], env: PlanEnv): string {
  const out = attach.result?.ok ? (attach.result.output as unknown as AttachOut) : undefined;
  const names = (out?.replicas.map((r) => r.address) ?? (attach.call.args.replicas as string[])).join(", ");
  const up = lastOutput<LabUpOut>(history, "lab_up");
  const where = up && !up.dryRun ? ` (new nodes in lab ${up.name}; remove them with lab_down ${up.name})` : "";
  if (!out?.applied || env.dryRun) return `Would make ${asReplicas(names, out?.replicas.length ?? (attach.call.args.replicas as string[]).length)} of ${attach.call.args.master}${where}; their own data would be replaced by the master's.`;
  return `Made ${asReplicas(names, out.replicas.length)} of ${out.master}, in sync after ${out.syncMs} ms${where}. Reads from replicas are stale by the replication lag.`;
}

/** replication_check on the master and the replicas it lists. */
export function replicaAddsVerify(ask: ReplicaAddAsk, place: HaPlace, history: readonly CallOutcome[]): Step {
  const master = lastOutput<AttachOut>(history, "replication_attach")?.master ?? ask.master;
  return { tool: "replication_check", args: master ? { nodes: [master] } : placeArgs(place) };
}
