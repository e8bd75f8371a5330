/**
 * The lab: a sandbox of Redis nodes on loopback. One interface, two backends
 * (local redis-server processes, the embedded default; docker containers).
 */
export type LabBackendName = "local" | "docker";

export interface LabSpec {
  /** Lab name: [a-z0-9-]{1,40}. Used for the state dir and docker labels. */
  name: string;
  /** Number of redis nodes. */
  nodes: number;
  /** cluster-enabled yes (default true). */
  cluster: boolean;
  /** Zones: node i goes to zone (i % zones) + 1, on loopback subnet 127.0.<zone>.x. Default 1. */
  zones: number;
  backend: LabBackendName;
  /** cluster-node-timeout in ms (default 15000, Redis' own default). */
  nodeTimeoutMs: number;
  /** requirepass/masterauth for every node, when set. Never printed. */
  password?: string;
  /** Extra redis.conf directives. */
  config?: Record<string, string>;
  /** Docker backend: the image to run (default: the local image built from this host's redis-server). */
  image?: string;
  /** redis-sentinel processes beside the nodes (default 0); they monitor nothing until told to. */
  sentinels?: number;
  /** The template the lab was built from (`lab up --template NAME`). */
  template?: string;
}

/** A fault the lab applied to a node and has not undone (src/lab/faults). */
export type NodeFault = "killed" | "stopped" | "paused";

export interface LabNode {
  /** 0-based index in the lab. */
  index: number;
  host: string;
  port: number;
  /** "z1", "z2", ... */
  zone: string;
  /** Local backend: the redis-server pid. */
  pid?: number;
  /** Docker backend: the container id. */
  containerId?: string;
  /** Node data dir (under the lab dir). */
  dir: string;
  /** Set while a fault the lab applied holds (killed, stopped, paused); absent when running. */
  fault?: NodeFault;
}

/** A sentinel process of a lab: placed like a node, on its own loopback address. */
export type LabSentinel = LabNode;

export interface LabState {
  name: string;
  backend: LabBackendName;
  spec: Omit<LabSpec, "password"> & { passwordSet: boolean };
  /** Temp dir holding node data; removed on down. */
  dir: string;
  createdAt: string;
  nodes: LabNode[];
  /** Zone pairs the lab has cut apart (iptables, src/lab/faults/partition.ts); healed on down. */
  cuts?: Array<[string, string]>;
  /** redis-sentinel processes (absent: none). */
  sentinels?: LabSentinel[];
  /** What the template built (master, replicas, sentinel master name), when the lab came from one. */
  topology?: LabTopology;
  /** Kept only in the 0600 state file so later processes can connect; never printed. */
  password?: string;
}

export interface LabTopology {
  template: string;
  /** The master's address. */
  master?: string;
  replicas?: string[];
  /** The master name the sentinels monitor. */
  sentinelMaster?: string;
  /** address -> "master" | "replica" as built. */
  roles: Record<string, string>;
}

export interface LabNodeStatus {
  address: string;
  zone: string;
  running: boolean;
  /** A fault the lab applied to this node and has not undone. */
  fault?: NodeFault;
  /** INFO server/replication/cluster summary when reachable. */
  role?: "master" | "replica" | "sentinel";
  clusterEnabled?: boolean;
  keys?: number;
  error?: string;
}

/** What lab down did to one node: stopped it, found it not running, or could not stop it. */
export interface NodeStopResult {
  address: string;
  /** The pid (local) or container id (docker) acted on or recorded. */
  pid?: number;
  containerId?: string;
  /** stopped: it ran and no longer does; not_running: nothing of it ran; not_stopped: something still runs or answers there. */
  outcome: "stopped" | "not_running" | "not_stopped";
  /** One clause for humans, e.g. "pid 4242 stopped", "a server still answers at 127.0.1.1:7000 and pid 4242 is not this node's process; left alone". */
  detail: string;
}

export interface DownReport {
  nodes: NodeStopResult[];
  /** The lab's data dir was removed (only ever one holding this lab's marker file). */
  dirRemoved: boolean;
  /** Why the dir was kept, when it was. */
  dirNote?: string;
}

export interface LabBackend {
  up(spec: LabSpec, progress?: (msg: string) => void): Promise<LabState>;
  /** Stops every node by its own id and reports each; removes the data dir only when every node is down and the dir carries this lab's marker. */
  down(state: LabState): Promise<DownReport>;
  status(state: LabState): Promise<LabNodeStatus[]>;
  /**
   * For a lab whose state file is unreadable (lab down --force): stops whatever of it can
   * still be identified as this lab's (local: processes whose config lies in a dir with
   * this lab's marker; docker: containers labelled with the lab) and removes those dirs.
   * `hints` are paths the broken file still names.
   */
  sweep(lab: string, hints: string[]): Promise<DownReport>;
}
