/**
 * What the replication drills share: a fresh lab from a template for every run (so runs
 * never inherit each other's state), the Sentinel client settings the tool
 * sentinel_client_settings prints, and teardown by lab down.
 */
import { labDown, labUp } from "../../lab/index.js";
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
