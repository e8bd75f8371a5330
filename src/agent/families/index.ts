/**
 * The one list of request families. Order is precedence: the first family whose match
 * claims a request takes it, then (for requests no match took) the first whose
 * fallback does. A question is offered only to families that look. Lab housekeeping
 * comes first, then Sentinel, a create aimed at a cluster, the operations on a cluster
 * (most specific first), checks and reads.
 */
import type { AnyTool } from "../../registry/tool.js";
import type { Refusal } from "../intent.js";
import type { AnyFamily, Family } from "./family.js";
import { labDown } from "./lab-down.js";
import { labList } from "./lab-list.js";
import { sentinel } from "./sentinel.js";
import { replicationStatus } from "./replication-status.js";
import { multiDc } from "./multi-dc.js";
import { createCluster } from "./create-cluster.js";
import { failover } from "./failover.js";
import { reshard } from "./reshard.js";
import { rebalance } from "./rebalance.js";
import { fixCluster } from "./fix-cluster.js";
import { nodeFault } from "./node-fault.js";
import { removeNode } from "./remove-node.js";
import { addReplicas } from "./add-replicas.js";
import { addNode } from "./add-node.js";
import { checkCluster } from "./check-cluster.js";
import { clusterInfo } from "./cluster-info.js";
import { replication } from "./replication.js";
import { replicationLag } from "./replication-lag.js";

const LIST = [
  labDown,
  labList,
  // Before sentinel and createCluster: "multi-datacenter ... sentinel/cluster" is a layout request.
  multiDc,
  // Before sentinel: "check the sentinels" is a look, not a setup.
  replicationStatus,
  sentinel,
  createCluster,
  failover,
  reshard,
  rebalance,
  fixCluster,
  nodeFault,
  removeNode,
  addReplicas,
  addNode,
  replicationLag,
  checkCluster,
  clusterInfo,
  replication,
] as const;

export const FAMILIES: readonly AnyFamily[] = LIST;

/** Every family's intent, told apart by `family`. */
export type Intent = (typeof LIST)[number] extends infer F ? (F extends Family<infer I> ? I : never) : never;
export type FamilyName = Intent["family"];
export type ParseResult = Intent | Refusal;

export function familyNamed(name: string): AnyFamily | undefined {
  return FAMILIES.find((f) => f.name === name);
}

/** Tools a family needs that the registry does not have (empty: supported). */
export function missingTools(family: FamilyName, tools: readonly AnyTool[]): string[] {
  return (familyNamed(family)?.tools ?? []).filter((name) => !tools.some((t) => t.name === name));
}

const list = (names: readonly string[]): string =>
  names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

/** One sentence saying what is missing, for the "not supported yet" answer. */
export function notSupportedMessage(family: FamilyName, missing: string[]): string {
  return `${familyNamed(family)!.doing} is not supported yet: it needs the ${list(missing)} tool${missing.length > 1 ? "s" : ""}, which this version of redis-pilot does not have.`;
}
