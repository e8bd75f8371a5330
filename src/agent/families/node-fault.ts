/** "Take down one node in lab demo", "kill 1 master", "restart a replica": a fault injected into a lab node. */
import { defineFamily, type BaseIntent } from "./family.js";

export interface NodeFaultIntent extends BaseIntent {
  family: "node_fault";
  /** Nodes to fail (default 1). */
  count: number;
  role?: "master" | "replica";
}

const FAULT = /\b(?:(?:take|bring|shut) down|kill|crash|stop|pause|freeze|isolate|restart|reboot|bounce)\b.*\b(?:node|master|replica|shard)\b/;

export const nodeFault = defineFamily<NodeFaultIntent>({
  name: "node_fault",
  doing: "Taking a node down (fault injection)",
  example: "kill 1 master in lab demo",
  effect: "change",
  tools: ["lab_fault", "cluster_check"],
  verbs: FAULT,
  match: (r) => FAULT.test(r.bare),
  extract(r) {
    const count = r.count(/(\d+) (?:node|master|replica|shard)\b/) ?? 1;
    const role = /\bmaster\b/.test(r.text) ? "master" : /\breplica\b/.test(r.text) ? "replica" : undefined;
    return { family: "node_fault", count, ...(role ? { role } : {}), where: r.where, assumed: [] };
  },
});
