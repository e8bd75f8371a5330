/**
 * The split-brain drill: cut the zone holding a master off from the other zones while one
 * client writes from inside that zone (to the old master) and one from the majority side
 * (through Cluster or Sentinel, as an application there would), keep the cut until the
 * majority has promoted a new master and a little longer, heal, and let the old master
 * rejoin. The checker then counts what the old master acknowledged and the heal threw
 * away; measure.ts reads the split-brain window. Runs on either lab backend.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { labDown, labUp } from "../../lab/index.js";
import { labHeal, labPartition } from "../../lab/faults/index.js";
import type { LabBackendName, LabState } from "../../lab/types.js";
import { createCluster } from "../../ops/cluster-create/index.js";
import { formatAddress } from "../../redis/address.js";
import { uniformAccess } from "../../redis/node-access.js";
import { clientSettings } from "../client-settings.js";
import type { DrillScenario, DrillSetup } from "../run-drill.js";
import { masterInZone, tagServedBy, waitClusterFailover, waitRole, waitSentinelFailover } from "./observe.js";
import { variantSettings, type SplitBrainVariant } from "./variants.js";

export interface SplitBrainOptions {
  backend: LabBackendName;
  /** The cut stays this long after the majority's new master is seen (the clients find it within SLOTS_REFRESH_MS or at once through Sentinel). @default 3000 */
  holdAfterFailoverMs?: number;
  /** Longest the cut may stay even without a failover, beyond the variant's own timeouts. @default 20000 */
  maxExtraCutMs?: number;
}

/** The zone cut off; cluster create spreads masters over zones, so it holds one. */
export const CUT_ZONE = "z1";
/** Where the drill's two writers sit: one address per side, outside the nodes' range. */
const MINORITY_CLIENT = "127.0.1.250";
const MAJORITY_CLIENT = "127.0.2.250";

/** How long after the heal the old master may take to turn replica. */
const REJOIN_TIMEOUT_MS = 30_000;

/** The majority side's cluster client re-reads the slot map this often. */
export const SLOTS_REFRESH_MS = 1000;

const labName = (v: SplitBrainVariant, run: number) => `sb-${v.deployment}-${v.tuned ? "tuned" : "default"}-${run}-${randomBytes(3).toString("hex")}`;

interface Built {
  lab: LabState;
  oldMaster: string;
  majority: string[];
  keyTag?: string;
  writeToMajority: DrillSetup["writeTo"];
  writeToAll: DrillSetup["writeTo"];
  /** Resolves once the majority has a new master (its address), or undefined at the deadline. */
  waitFailover(deadline: number, signal: AbortSignal): Promise<string | undefined>;
}

async function buildCluster(v: SplitBrainVariant, run: number, o: SplitBrainOptions): Promise<Built> {
  const s = variantSettings(v);
  // 3 masters with 2 replicas each, one per other zone: after losing a zone every shard
  // still has a master and a replica, so min-replicas-to-write 1 can still be met.
  const lab = await labUp({ name: labName(v, run), nodes: 9, zones: 3, backend: o.backend, nodeTimeoutMs: s.nodeTimeoutMs, config: s.config });
  try {
    const addresses = lab.nodes.map((n) => formatAddress(n));
    const zones = Object.fromEntries(lab.nodes.map((n) => [formatAddress(n), n.zone]));
    // The lab's own build: it owns every node, so one credential for all.
    await createCluster({ addresses, replicas: 2, access: uniformAccess({ password: lab.password }, true), zones, timeoutMs: 60_000 }, { progress: () => {} });
    const conn = { password: lab.password };
    const oldMaster = await masterInZone(addresses[0], zones, CUT_ZONE, conn);
    const keyTag = await tagServedBy(oldMaster, conn);
    const majority = lab.nodes.filter((n) => n.zone !== CUT_ZONE).map((n) => formatAddress(n));
    return {
      lab,
      oldMaster,
      majority,
      keyTag,
      // A refreshing slot map is how a cluster client finds a master promoted behind a dropped link.
      writeToMajority: { settings: clientSettings({ kind: "cluster", nodes: majority }, { localAddress: MAJORITY_CLIENT, slotsRefreshIntervalMs: SLOTS_REFRESH_MS }), auth: conn },
      writeToAll: { settings: clientSettings({ kind: "cluster", nodes: addresses }), auth: conn },
      waitFailover: (deadline, signal) => waitClusterFailover(majority[0], keyTag, oldMaster, conn, deadline, signal),
    };
  } catch (err) {
    await labDown(lab.name);
    throw err;
  }
}

/**
 * Sentinel on a lab template: sentinel-3 (the master in z1, a replica in z2 and in z3) or
 * multi-dc-sentinel (the master and a local replica in z1, two replicas in z2 and z3), one
 * sentinel per zone. Cutting z1 leaves the master with its own sentinel (and its local
 * replica); the z2 and z3 sentinels are a majority and promote a replica there.
 */
async function buildSentinel(v: SplitBrainVariant, run: number, o: SplitBrainOptions): Promise<Built> {
  const s = variantSettings(v);
  const template = v.layout ?? "sentinel-3";
  const lab = await labUp({ name: labName(v, run), template, backend: o.backend, config: s.config });
  try {
    const oldMaster = lab.topology!.master!;
    const name = lab.topology!.sentinelMaster!;
    const conn = { password: lab.password };
    const zoneOf = (a: string) => [...lab.nodes, ...lab.sentinels!].find((n) => formatAddress(n) === a)!.zone;
    if (zoneOf(oldMaster) !== CUT_ZONE) throw new Error(`${template} placed its master in ${zoneOf(oldMaster)}, not ${CUT_ZONE}`);
    const sentinels = lab.sentinels!.map((n) => formatAddress(n));
    const majoritySentinels = sentinels.filter((a) => zoneOf(a) !== CUT_ZONE);
    const auth = { password: lab.password, sentinelPassword: lab.password };
    return {
      lab,
      oldMaster,
      majority: lab.nodes.filter((n) => n.zone !== CUT_ZONE).map((n) => formatAddress(n)),
      // An application on the majority side asks its own zones' sentinels.
      writeToMajority: { settings: clientSettings({ kind: "sentinel", sentinels: majoritySentinels, name }, { localAddress: MAJORITY_CLIENT }), auth },
      writeToAll: { settings: clientSettings({ kind: "sentinel", sentinels, name }), auth },
      waitFailover: (deadline, signal) => waitSentinelFailover(majoritySentinels[0], name, oldMaster, conn, deadline, signal),
    };
  } catch (err) {
    await labDown(lab.name);
    throw err;
  }
}

export function splitBrainScenario(v: SplitBrainVariant, o: SplitBrainOptions): DrillScenario {
  const s = variantSettings(v);
  const hold = o.holdAfterFailoverMs ?? 3000;
  return {
    name: `${v.deployment}${v.layout && v.layout !== "sentinel-3" ? `(${v.layout})` : ""}/${v.tuned ? "tuned" : "default"}`,
    async setup(run) {
      const b = v.deployment === "cluster" ? await buildCluster(v, run, o) : await buildSentinel(v, run, o);
      const conn = { password: b.lab.password };
      return {
        writeTo: b.writeToAll,
        writers: [
          // Inside the cut zone, an application keeps writing to the master it knows.
          { settings: clientSettings({ kind: "standalone", address: b.oldMaster }, { localAddress: MINORITY_CLIENT }), auth: conn, keyTag: b.keyTag },
          { ...b.writeToMajority, keyTag: b.keyTag },
        ],
        meta: { sides: { 0: "minority", 1: "majority" }, oldMaster: b.oldMaster, cutZone: CUT_ZONE, settings: s.describe, backend: o.backend },
        roles: { [b.oldMaster]: "master" },
        async act({ rec, signal }) {
          await labPartition(b.lab.name, CUT_ZONE);
          // Marked once the rules hold: a write sent before then may still have crossed.
          rec.event("partition", `cut ${CUT_ZONE} (old master ${b.oldMaster}) off`);
          const started = Date.now();
          const promoted = await b.waitFailover(started + s.failoverBudgetMs + (o.maxExtraCutMs ?? 20_000), signal);
          if (promoted) rec.event("failover", `majority promoted ${promoted}`);
          else rec.event("no-failover", "no new master seen before the deadline");
          await sleep(hold, undefined, { signal });
          // Marked before the rules go: every write acknowledged until then crossed no cut.
          rec.event("heal", "heal the partition");
          await labHeal(b.lab.name);
          // The old master turns replica once it hears of its successor: at once in a cluster
          // (gossip), seconds later under Sentinel (a sentinel must see it and reconfigure it).
          // Until then it still acknowledges the writes of its side, and they are lost too.
          if (await waitRole(b.oldMaster, conn, (r) => r === "replica", Date.now() + REJOIN_TIMEOUT_MS, signal)) rec.event("rejoined", `${b.oldMaster} is a replica again`);
          else rec.event("not-rejoined", `${b.oldMaster} was still a master ${REJOIN_TIMEOUT_MS} ms after the heal`);
        },
        teardown: async () => {
          await labDown(b.lab.name);
        },
      };
    },
  };
}
