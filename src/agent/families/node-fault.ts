/**
 * "Take down one node in lab demo", "kill 1 master", "restart a replica": a fault on lab
 * nodes, by the lab fault tool the verb names (kill, stop, pause, restart), on nodes of
 * the asked role or the addresses given. Labs only.
 */
import { refuse, type Refusal } from "../intent.js";
import type { Reading } from "../reading.js";
import { defineFamily, type BaseIntent } from "./family.js";

export type FaultAction = "kill" | "stop" | "pause" | "restart";

export interface NodeFaultIntent extends BaseIntent {
  family: "node_fault";
  action: FaultAction;
  /** Nodes to fail (default 1; the addresses given, when given). */
  count: number;
  role?: "master" | "replica";
}

const FAULT = /\b(?:(?:take|bring|shut) down|kill|crash|stop|pause|freeze|isolate|restart|reboot|bounce)\b.*\b(?:node|master|replica|shard)\b/;
const ACTIONS: [RegExp, FaultAction][] = [
  [/\b(?:kill|crash)\b/, "kill"],
  [/\b(?:pause|freeze)\b/, "pause"],
  [/\b(?:restart|reboot|bounce)\b/, "restart"],
  [/\b(?:stop|(?:take|bring|shut) down)\b/, "stop"],
];

function extract(r: Reading): NodeFaultIntent | Refusal {
  if (/\bisolate\b/.test(r.bare)) return refuse("unhonoured", "Isolating one node is not a fault the lab has: it cuts zones apart (lab_partition), not single nodes.", 'Ask to kill, stop, pause or restart a node, or use lab_partition to cut a zone off.');
  if (r.where.target || (r.where.nodes && !r.where.lab && !/\blab\b/.test(r.text))) {
    return refuse("impossible", "Faults are injected into lab nodes only, never into a target or bare addresses.", 'Name the lab, e.g. "kill 127.0.1.1:7000 in lab demo".');
  }
  const action = ACTIONS.find(([re]) => re.test(r.bare))![1];
  const role: NodeFaultIntent["role"] = /\bmaster\b/.test(r.text) ? "master" : /\breplica\b/.test(r.text) ? "replica" : undefined;
  const count = r.count(/(\d+) (?:node|master|replica|shard)\b/) ?? r.where.nodes?.length ?? 1;
  return { family: "node_fault", action, count, ...(role ? { role } : {}), where: r.where, assumed: [] };
}

export const nodeFault = defineFamily<NodeFaultIntent>({
  name: "node_fault",
  doing: "Taking a node down (fault injection)",
  example: "kill 1 master in lab demo",
  effect: "change",
  tools: ["cluster_info", "lab_kill", "lab_stop", "lab_pause", "lab_restart"],
  verbs: FAULT,
  match: (r) => FAULT.test(r.bare),
  // "kill 127.0.1.1:7000 in lab demo": the addresses say which nodes of the lab.
  honours: ["several_places"],
  extract,
  // No plan yet: a fault leaves the cluster failing by design, so "done and verified"
  // needs the fault tools to count as proving themselves (as lab_down does) first.
});
