/**
 * Plan pieces the slot-moving families share (reshard, rebalance, add and remove nodes,
 * failover, fix): read the cluster once with cluster_info, pick masters and replicas
 * from its rows, and verify with cluster_check. Pure: history in, next call out.
 */
import { whereArgs } from "../lab-choice.js";
import type { Where } from "../intent.js";
import type { CallOutcome } from "../planner.js";
import type { Step } from "./family.js";

export interface InfoRow {
  address: string;
  id: string;
  role: "master" | "replica";
  master?: string;
  slotCount: number;
  zone?: string;
}

export const INFO = "cluster_info";
export const CHECK = "cluster_check";

/** The rows of the last cluster_info that answered. */
export function infoRows(history: readonly CallOutcome[]): InfoRow[] | undefined {
  const o = [...history].reverse().find((h) => h.call.tool === INFO && h.result?.ok);
  return o?.result?.ok ? (o.result.output.nodes as InfoRow[]) : undefined;
}

export const readInfo = (where: Where): Step => ({ tool: INFO, args: whereArgs(where) });
export const checkStep = (where: Where): Step => ({ tool: CHECK, args: whereArgs(where) });

/** The last call of a tool, and whether it succeeded. */
export function lastCall(history: readonly CallOutcome[], tool: string): CallOutcome | undefined {
  return [...history].reverse().find((h) => h.call.tool === tool);
}

export const masters = (rows: InfoRow[]) => rows.filter((r) => r.role === "master");
export const bySlots = (rows: InfoRow[]) => [...rows].sort((a, b) => a.slotCount - b.slotCount || a.address.localeCompare(b.address, "en", { numeric: true }));

/** Addresses the request wrote (HOST:PORT), in order. */
export const addressesIn = (text: string): string[] => [...text.matchAll(/\b(?:\d{1,3}(?:\.\d{1,3}){3}|localhost):\d{1,5}\b/g)].map((m) => m[0]);
