/**
 * "How far behind are my replicas?", "replication lag in lab demo": replication_lag on the
 * named place (or the only lab there is) over a 2 s window, answered with each replica's
 * bytes behind and seconds since its last acknowledgment. A read: nothing to verify.
 */
import { placeOf, whereArgs, whereOrOnlyLab } from "../lab-choice.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface ReplicationLagIntent extends BaseIntent {
  family: "replication_lag";
}

interface LagOutput {
  replicas: { replica: string; master: string; samples: number; bytes: { min: number; avg: number; max: number }; seconds: { max: number } }[];
}

const LAG = /\b(?:how far behind|lag(?:ging)?|behind|caught up|in sync)\b/;
const OF_REPLICAS = /\b(?:replicas?|replication|slaves?)\b/;

function answer(out: LagOutput, at: string): string {
  if (out.replicas.length === 0) return `No replicas found at ${at}.`;
  const lines = out.replicas.map((r) => `${r.replica} (of ${r.master}): ${r.bytes.avg} bytes behind on average, at most ${r.bytes.max}; last ack at most ${r.seconds.max} s ago`);
  return `Replication lag at ${at} over ${out.replicas[0].samples} samples: ${lines.join("; ")}.`;
}

export const replicationLag = defineFamily<ReplicationLagIntent>({
  name: "replication_lag",
  doing: "Measuring replication lag",
  example: "how far behind are my replicas",
  effect: "look",
  tools: ["replication_lag", "lab_list"],
  match: (r) => LAG.test(r.bare) && OF_REPLICAS.test(r.bare),
  extract: (r) => ({ family: "replication_lag", where: r.where, assumed: [] }),
  plan(intent, history) {
    const at = whereOrOnlyLab(intent.where, history, "replication_lag on it", (lab) => `how far behind are the replicas in lab ${lab}`);
    if (!("where" in at)) return at;
    const read = history.find((o) => o.call.tool === "replication_lag");
    if (!read) return { call: { tool: "replication_lag", args: { ...whereArgs(at.where), durationMs: 2000, intervalMs: 200 } }, ...(at.found ? {} : { text: `Plan: replication_lag ${placeOf(at.where)} for 2 s.` }) };
    return { done: read.result?.ok ? answer(read.result.output as unknown as LagOutput, placeOf(at.where)) : `Read the replication lag at ${placeOf(at.where)}.` };
  },
});
