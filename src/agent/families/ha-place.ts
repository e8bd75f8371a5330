/**
 * What runs where a failover or add-replicas request acts: a Redis Cluster, plain
 * replication, or a master Sentinel watches. The words cannot tell ("promote
 * 127.0.1.2:7001" is either), so the plan reads first: lab_list (the lab holding the
 * named lab or address, its cluster mode, its sentinels), else replication_info on the
 * address (cluster_enabled). A cluster_info that already answered means a cluster (the
 * cluster families' own first read). Pure: history in, place or next call out.
 */
import type { Where } from "../intent.js";
import { isSomewhere, LIST_LABS } from "../lab-choice.js";
import type { CallOutcome } from "../planner.js";
import type { Next } from "./family.js";

export type HaKind = "cluster" | "replication" | "sentinel";

export interface HaPlace {
  kind: HaKind;
  /** Where the request acts, as tool arguments take it (the only lab when it named none). */
  where: Where;
  /** The lab that holds it, when one does. */
  lab?: string;
}

export interface LabRow {
  name: string;
  cluster: boolean;
  nodes: { address: string }[];
  sentinels?: { address: string }[];
}

export const INFO_TOOL = "replication_info";

export interface ReplicationRow {
  address: string;
  role: "master" | "replica";
  master?: string;
  link?: "up" | "down";
  replicas?: string[];
  keys: number;
  clusterEnabled: boolean;
}

/** The output of the last call of `tool` that answered. */
export function lastOutput<T>(history: readonly CallOutcome[], tool: string): T | undefined {
  const o = [...history].reverse().find((h) => h.call.tool === tool && h.result?.ok);
  return o?.result?.ok ? (o.result.output as T) : undefined;
}

/** replication_info's rows and the nodes it could not reach, once it answered. */
export function replicationRows(history: readonly CallOutcome[]): { nodes: ReplicationRow[]; unreachable: { address: string }[] } | undefined {
  return lastOutput(history, INFO_TOOL);
}

const kindOfLab = (l: LabRow): HaKind => (l.cluster ? "cluster" : l.sentinels?.length ? "sentinel" : "replication");
const holds = (l: LabRow, address: string) => [...l.nodes, ...(l.sentinels ?? [])].some((n) => n.address === address);

export interface FindPlaceOptions {
  /** The rest of the plan, for the first call's text ("promote it"). */
  then: string;
  /** A request naming a lab, for the "which lab?" answer. */
  example: (lab: string) => string;
  /** The request names a Sentinel master: only labs that run sentinels are candidates, and no read is needed outside labs. */
  sentinelName?: boolean;
}

/** The place and its kind, or the read that tells them (or a refusal: no such lab, several labs). */
export function findPlace(where: Where, history: readonly CallOutcome[], o: FindPlaceOptions): { place: HaPlace } | Next {
  const listed = lastOutput<{ labs: LabRow[] }>(history, LIST_LABS);
  if (!listed && isSomewhere(where) && lastOutput(history, "cluster_info")) return { place: { kind: "cluster", where, ...(where.lab ? { lab: where.lab } : {}) } };
  if (!where.target) {
    if (!listed) {
      if (history.some((h) => h.call.tool === LIST_LABS)) return { stop: "lab_list did not answer.", reason: "failed" };
      const what = where.lab ? `lab ${where.lab}` : where.nodes ? where.nodes.join(" ") : "the lab";
      return { call: { tool: LIST_LABS, args: {} }, text: `Plan: find what runs at ${what} with ${LIST_LABS}, then ${o.then}.` };
    }
    const labs = listed.labs;
    if (where.lab) {
      const lab = labs.find((l) => l.name === where.lab);
      if (!lab) return { refuse: `No lab is named ${where.lab}${labs.length ? `; the labs are ${labs.map((l) => l.name).join(", ")}` : ""}.`, reason: "impossible" };
      return { place: { kind: kindOfLab(lab), where, lab: lab.name } };
    }
    if (where.nodes) {
      const lab = labs.find((l) => where.nodes!.some((a) => holds(l, a)));
      if (lab) return { place: { kind: kindOfLab(lab), where, lab: lab.name } };
    } else {
      const candidates = o.sentinelName ? labs.filter((l) => l.sentinels?.length) : labs;
      if (candidates.length === 1) return { place: { kind: kindOfLab(candidates[0]), where: { lab: candidates[0].name }, lab: candidates[0].name } };
      const what = o.sentinelName ? "runs sentinels" : "is running";
      return {
        refuse: candidates.length
          ? `Several labs ${o.sentinelName ? "run sentinels" : "exist"} (${candidates.map((l) => l.name).join(", ")}); say which one, e.g. "${o.example(candidates[0].name)}".`
          : `No lab ${what} and the request names no target or address; name one${o.sentinelName ? ", or set up Sentinel first" : ""}.`,
        reason: "ambiguous",
      };
    }
  }
  // A target, or addresses no lab holds: sentinels when a master name was given, else ask the nodes themselves.
  if (o.sentinelName) return { place: { kind: "sentinel", where } };
  const rows = replicationRows(history);
  if (!rows) return { call: { tool: INFO_TOOL, args: where.target ? { target: where.target } : { nodes: where.nodes } }, ...(history.length ? {} : { text: `Plan: read what runs at ${where.target ? `target ${where.target}` : where.nodes!.join(" ")} with ${INFO_TOOL}, then ${o.then}.` }) };
  return { place: { kind: rows.nodes.some((n) => n.clusterEnabled) ? "cluster" : "replication", where } };
}

/** Tool arguments for a replication or Sentinel tool: the lab when one holds the place, else the place as named. */
export const placeArgs = (p: HaPlace): Record<string, unknown> => (p.lab ? { lab: p.lab } : p.where.target ? { target: p.where.target } : { nodes: p.where.nodes });
