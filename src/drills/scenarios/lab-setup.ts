/**
 * What the drills share: a fresh lab for every run (so runs never inherit each other's
 * state), from a template (replication drills, with the Sentinel client settings the tool
 * sentinel_client_settings prints) or as a new Redis Cluster (cluster drills), and
 * teardown by lab down, also when the rest of a run's setup fails.
 */
import { labDown, labUp } from "../../lab/index.js";
import { createCluster } from "../../ops/cluster-create/index.js";
import type { LabState } from "../../lab/types.js";
import { formatAddress } from "../../redis/address.js";
import { uniformAccess, type NodeAccess } from "../../redis/node-access.js";
import { clientSettings, type ClientSettings } from "../client-settings.js";

export interface DrillLab {
  state: LabState;
  master: string;
  replicas: string[];
  sentinels: string[];
  /** The lab owns every process it started: one credential, all mutable. */
  access: NodeAccess;
  /** The writers' settings: through Sentinel when the lab runs sentinels, else straight to the master. */
  writeSettings: ClientSettings;
  roles: Record<string, string>;
  down(): Promise<void>;
}

/** Lab names stay unique across parallel processes and runs. */
export function drillLabName(scenario: string, run: number): string {
  return `drill-${scenario}-${process.pid % 100000}-${run}`.replace(/[^a-z0-9-]/g, "-").slice(0, 40);
}

export async function drillLab(scenario: string, run: number, template: string, overrides: Partial<Omit<ClientSettings, "deployment">> = {}, config?: Record<string, string>): Promise<DrillLab> {
  const state = await labUp({ name: drillLabName(scenario, run), template, ...(config ? { config } : {}) });
  const topo = state.topology!;
  const sentinels = (state.sentinels ?? []).map((s) => formatAddress(s));
  const writeSettings = sentinels.length
    ? clientSettings({ kind: "sentinel", sentinels, name: topo.sentinelMaster! }, overrides)
    : clientSettings({ kind: "standalone", address: topo.master! }, overrides);
  return {
    state,
    master: topo.master!,
    replicas: topo.replicas ?? [],
    sentinels,
    access: uniformAccess({ password: state.password }, true),
    writeSettings,
    roles: topo.roles,
    down: async () => void (await labDown(state.name)),
  };
}

/** Settings shown in a history's meta: what the clients and servers ran with (no secrets). */
export function settingsMeta(lab: DrillLab, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { deployment, ...client } = lab.writeSettings;
  return { template: lab.state.topology?.template, master: lab.master, replicas: lab.replicas, sentinels: lab.sentinels, deployment: deployment.kind, client, ...extra };
}

export interface DrillClusterLab {
  name: string;
  addresses: string[];
  /** The lab's processes: no password, all mutable. */
  access: NodeAccess;
  /** An ioredis Cluster client's settings for it, with the defaults. */
  settings: ClientSettings;
  down(): Promise<void>;
  /** Runs the rest of a run's setup; if it throws, the lab is downed first. */
  orDown<T>(setup: () => Promise<T>): Promise<T>;
}

/** A fresh lab with a Redis Cluster built on it (node-timeout 5000; with zones > 1, replicas away from their master's zone). */
export async function drillClusterLab(scenario: string, run: number, o: { nodes: number; replicas: number; zones?: number }): Promise<DrillClusterLab> {
  const state = await labUp({ name: drillLabName(scenario, run), nodes: o.nodes, ...(o.zones ? { zones: o.zones } : {}), nodeTimeoutMs: 5000 });
  const down = async () => void (await labDown(state.name));
  const orDown = async <T>(setup: () => Promise<T>): Promise<T> => {
    try {
      return await setup();
    } catch (err) {
      await down();
      throw err;
    }
  };
  const addresses = state.nodes.map((n) => formatAddress(n));
  const access = uniformAccess({});
  const zones = (o.zones ?? 1) > 1 ? { zones: Object.fromEntries(state.nodes.map((n) => [formatAddress(n), n.zone])) } : {};
  await orDown(() => createCluster({ addresses, replicas: o.replicas, access, ...zones }, { progress: () => {} }));
  return { name: state.name, addresses, access, settings: clientSettings({ kind: "cluster", nodes: addresses }), down, orDown };
}
