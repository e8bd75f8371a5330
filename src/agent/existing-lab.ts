/**
 * What the built-in planner needs to know about a lab a create request names, read at
 * planning time from the lab store and one INFO per node (src/lab's labStatus; reads
 * only), and the pure judgement of whether a new cluster can be built on it.
 * cluster_create's own preflight still refuses, changing nothing, a lab whose masters
 * already know each other, which INFO cannot show.
 */
import { labStatus, loadLab } from "../lab/index.js";
import { callRef, toolRef } from "../registry/words.js";
import { plural, refuse, type Refusal } from "./intent.js";

export interface ExistingLab {
  name: string;
  nodes: number;
  zones: number;
  /** Started with cluster-enabled yes. */
  cluster: boolean;
  /** Addresses of nodes that do not answer. */
  down: string[];
  /** Nodes that replicate from another: a cluster (or replication) is already set up. */
  replicas: number;
  keys: number;
}

/** undefined when no lab of that name exists. */
export async function readExistingLab(name: string): Promise<ExistingLab | undefined> {
  if (!(await loadLab(name))) return undefined;
  const { state, nodes } = await labStatus(name);
  return {
    name,
    nodes: state.nodes.length,
    zones: state.spec.zones,
    cluster: state.spec.cluster,
    down: nodes.filter((n) => !n.running).map((n) => n.address),
    replicas: nodes.filter((n) => n.role === "replica").length,
    keys: nodes.reduce((sum, n) => sum + (n.keys ?? 0), 0),
  };
}

/** Why a new cluster cannot be built on the lab's nodes, or undefined when it can. */
export function existingLabProblem(lab: ExistingLab): Refusal | undefined {
  const elsewhere = `or leave "lab ${lab.name}" out of the request to get a new lab`;
  if (!lab.cluster) {
    return refuse("impossible", `Lab ${lab.name} runs without cluster mode, so its nodes cannot form a Redis Cluster.`, `Try ${callRef("lab_down", { name: lab.name, confirm: "true" })} and then ${callRef("lab_up", { name: lab.name, nodes: String(lab.nodes) })}, ${elsewhere}.`);
  }
  if (lab.down.length) {
    return refuse("impossible", `Lab ${lab.name} has ${plural(lab.down.length, "node")} down (${lab.down.join(", ")}).`, `Try ${callRef("lab_status", { name: lab.name })} to see them and ${toolRef("lab_start")} to start them, ${elsewhere}.`);
  }
  if (lab.replicas || lab.keys) {
    const what = [lab.replicas ? `${plural(lab.replicas, "node")} already replicate` : "", lab.keys ? `it holds ${plural(lab.keys, "key")}` : ""].filter(Boolean).join(" and ");
    return refuse("impossible", `Lab ${lab.name} is already in use: ${what}.`, `Try "check the cluster in lab ${lab.name}" to see what runs there, ${elsewhere}.`);
  }
  return undefined;
}
