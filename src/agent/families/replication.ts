/** "Set up replication with 2 replicas", "a master with two read replicas": one master and its replicas, no cluster. */
import { refuse } from "../intent.js";
import type { Reading } from "../reading.js";
import { CREATE, replicasOf, zonesOf } from "../vocabulary.js";
import { plural } from "../intent.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface ReplicationIntent extends BaseIntent {
  family: "replication";
  replicas: number;
  zones: number;
}

/** A create verb aimed at replication, a master or replicas, with no other action between ("set up a primary with 2 replicas"). */
function setsUpReplication(r: Reading): boolean {
  for (const verb of r.bare.matchAll(CREATE)) {
    const after = r.bare.slice(verb.index + verb[0].length);
    const object = /\b(?:replication|replica|master)\b/.exec(after);
    if (object && !r.isAction(after.slice(0, object.index))) return true;
  }
  return false;
}

export const replication = defineFamily<ReplicationIntent>({
  name: "replication",
  doing: "Setting up replication",
  example: "set up replication with 2 replicas",
  effect: "change",
  tools: ["lab_up", "replication_attach", "replication_check"],
  match: setsUpReplication,
  fallback: (r) => /\breplication\b|\breplica\b/.test(r.bare),
  extract(r) {
    const assumed: string[] = [];
    const masters = r.count(/(\d+) master\b/);
    if (masters !== undefined && masters !== 1) {
      return refuse("impossible", `Replication has one master, and the request names ${masters}.`, 'Ask for a cluster for several masters, e.g. "create a cluster with 3 masters and 1 replica each".');
    }
    const r2 = replicasOf(r);
    const replicas = r2.each ?? r2.total ?? (assumed.push("1 replica"), 1);
    if (replicas < 1) return refuse("impossible", "Replication needs at least one replica.", 'Ask for e.g. "replication with 2 replicas".');
    return { family: "replication", replicas, zones: zonesOf(r, assumed) ?? 1, where: r.where, assumed };
  },
  plan(intent, history, env) {
    const lab = intent.where.lab ?? env.newLab;
    const shape = `1 master with ${plural(intent.replicas, "read replica")}`;
    // One zone: the read-replicas template (built and verified by replication_attach); more: nodes spread, then attach.
    const calls =
      intent.zones <= 1
        ? [{ tool: "lab_up", args: { name: lab, template: "read-replicas", replicas: intent.replicas } }]
        : [
            { tool: "lab_up", args: { name: lab, nodes: 1 + intent.replicas, zones: intent.zones, cluster: false } },
            { tool: "replication_attach", args: { lab, confirm: true } },
          ];
    if (history.length < calls.length) {
      const text = `Plan: lab_up starts lab ${lab}${calls.length === 1 ? " from the read-replicas template" : ` over ${plural(intent.zones, "zone")}, replication_attach makes the first node the master of the others`}, ${shape}; then replication_check.`;
      return { call: calls[history.length], ...(history.length === 0 ? { text } : {}) };
    }
    return { done: `${env.dryRun ? "Would set up" : "Set up"} replication in lab ${lab}: ${shape}. Reads from replicas are stale by the replication lag.` };
  },
  verify: (intent, _history, env) => ({ tool: "replication_check", args: { lab: intent.where.lab ?? env.newLab } }),
});
