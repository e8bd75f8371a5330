/**
 * Typed views read from live servers. Pure data: once read, nothing here does I/O.
 * Field meanings follow CLUSTER NODES / CLUSTER INFO / INFO replication.
 */
import type { SlotRange } from "../redis/slots.js";

export type NodeFlag = "myself" | "master" | "slave" | "fail?" | "fail" | "handshake" | "noaddr" | "nofailover" | "noflags";

/** One line of CLUSTER NODES: how one node sees one peer (or itself). */
export interface ClusterNodeEntry {
  id: string;
  host: string;
  port: number;
  busPort: number;
  /** hostname from the address field ("ip:port@cport,hostname"), when set. */
  hostname?: string;
  flags: NodeFlag[];
  role: "master" | "replica";
  /** For replicas: the master's id; undefined for masters. */
  masterId?: string;
  pingSent: number;
  pongReceived: number;
  configEpoch: number;
  linkState: "connected" | "disconnected";
  slots: SlotRange[];
  /** [slot, destination node id] for "[slot->-id]" entries. */
  migrating: { slot: number; to: string }[];
  /** [slot, source node id] for "[slot-<-id]" entries. */
  importing: { slot: number; from: string }[];
}

export interface ReplicaLink {
  address: string;
  state: string;
  offset: number;
  lag: number;
}

/** INFO replication, parsed. */
export interface ReplicationInfo {
  role: "master" | "replica";
  masterHost?: string;
  masterPort?: number;
  masterLinkStatus?: "up" | "down";
  masterLastIoSecondsAgo?: number;
  masterSyncInProgress?: boolean;
  /** master_repl_offset (master) or slave_repl_offset (replica). */
  offset: number;
  connectedReplicas: ReplicaLink[];
  replid?: string;
  /** master_replid2: the replication id of the master this node was a replica of before its promotion. */
  replid2?: string;
}

/** What one reachable node says about itself and about the cluster. */
export interface NodeView {
  /** The address we connected to (host:port). */
  address: string;
  /**
   * The IP that address reached (the socket's peer), so "localhost:7000" and
   * "127.0.0.1:7001" count as one host in placement checks.
   */
  ip?: string;
  /** Zone label from the lab or the target config, when known. */
  zone?: string;
  /** This node's own entry (the "myself" line). */
  self: ClusterNodeEntry;
  /** Every line of its CLUSTER NODES, itself included. */
  peers: ClusterNodeEntry[];
  clusterState: "ok" | "fail";
  currentEpoch: number;
  knownNodes: number;
  slotsAssigned: number;
  replication: ReplicationInfo;
  /** Number of keys across all databases. */
  keys: number;
  /** cluster-node-timeout and cluster-replica-no-failover, when CONFIG GET answered. */
  failover?: { nodeTimeoutMs?: number; replicaNoFailover?: boolean };
}

export interface UnreachableNode {
  address: string;
  error: string;
}

export interface ClusterView {
  /** ISO time the read finished. */
  readAt: string;
  nodes: NodeView[];
  /** Nodes named by a seed or a peer that could not be read. */
  unreachable: UnreachableNode[];
  /** Seeds that stand beside the cluster, not in it (alone, no slots, known by no member): e.g. a lab's spare nodes. */
  spares?: string[];
  /** address -> zone label as given to the read, so a node that could not be read still has its zone. */
  zones?: Record<string, string>;
}
