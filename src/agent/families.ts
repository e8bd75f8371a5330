/**
 * Which registry tools each request family needs. The built-in planner answers
 * "not supported yet" by looking the tools up in the registry, so a later change
 * that adds e.g. sentinel_setup lights its family up without touching this check.
 */
import type { AnyTool } from "../registry/tool.js";
import { findTool } from "../registry/filters.js";
import type { Family } from "./intent.js";

interface FamilyInfo {
  /** What the user asked for, as a noun phrase. */
  doing: string;
  /** Tools the plan calls; all must be in the registry. */
  tools: string[];
}

export const FAMILIES: Record<Family, FamilyInfo> = {
  create_cluster: { doing: "Creating a Redis Cluster", tools: ["lab_up", "cluster_create"] },
  check_cluster: { doing: "Checking a Redis Cluster", tools: ["cluster_check", "lab_list"] },
  cluster_info: { doing: "Describing a Redis Cluster", tools: ["cluster_info", "lab_list"] },
  lab_list: { doing: "Listing labs", tools: ["lab_list"] },
  lab_down: { doing: "Stopping a lab", tools: ["lab_down"] },
  node_fault: { doing: "Taking a node down (fault injection)", tools: ["lab_fault", "cluster_check"] },
  fix_cluster: { doing: "Fixing a Redis Cluster", tools: ["cluster_fix", "cluster_check"] },
  reshard: { doing: "Resharding", tools: ["cluster_reshard", "cluster_check"] },
  rebalance: { doing: "Rebalancing slots", tools: ["cluster_rebalance", "cluster_check"] },
  add_node: { doing: "Adding nodes to a cluster", tools: ["cluster_add_node", "cluster_check"] },
  remove_node: { doing: "Removing nodes from a cluster", tools: ["cluster_del_node", "cluster_check"] },
  add_replicas: { doing: "Adding read replicas", tools: ["cluster_add_node", "cluster_check"] },
  failover: { doing: "Failing over a master", tools: ["cluster_failover", "cluster_check"] },
  replication: { doing: "Setting up replication", tools: ["lab_up", "replication_setup", "replication_check"] },
  sentinel: { doing: "Setting up Sentinel", tools: ["lab_up", "sentinel_setup", "sentinel_check"] },
};

/** Tools a family needs that the registry does not have (empty: supported). */
export function missingTools(family: Family, tools: readonly AnyTool[]): string[] {
  return FAMILIES[family].tools.filter((name) => !findTool(tools, name));
}

const list = (names: string[]): string =>
  names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

/** One sentence saying what is missing, for the "not supported yet" answer. */
export function notSupportedMessage(family: Family, missing: string[]): string {
  return `${FAMILIES[family].doing} is not supported yet: it needs the ${list(missing)} tool${missing.length > 1 ? "s" : ""}, which this version of redis-pilot does not have.`;
}
