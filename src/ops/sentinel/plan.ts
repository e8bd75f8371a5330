/**
 * Sentinel monitoring plans, pure: the SENTINEL MONITOR / SET commands for each
 * sentinel and the equivalent sentinel.conf lines for servers configured by file.
 * Refuses what can never work: a quorum above the number of sentinels, a name with
 * spaces, a sentinel already following another master under that name.
 */
import { quoted, ValidationError } from "../../errors.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { majorityOf } from "../../checks/sentinel-checks.js";
import type { SentinelNode } from "../../topology/sentinel-view.js";
import { toolRef } from "../../registry/words.js";

export interface MonitorSettings {
  name: string;
  master: string;
  quorum: number;
  /** @default 5000 */
  downAfterMs: number;
  /** @default 60000 */
  failoverTimeoutMs: number;
  /** @default 1 */
  parallelSyncs: number;
  /** The master wants a password: sentinels get auth-pass (and auth-user); the value itself is never in a plan. */
  auth?: { username?: string };
}

export const MONITOR_DEFAULTS = { downAfterMs: 5000, failoverTimeoutMs: 60_000, parallelSyncs: 1 };

export interface MonitorPlan {
  kind: "sentinel-monitor";
  version: 1;
  settings: MonitorSettings;
  sentinels: { address: string; action: "monitor" | "update" }[];
  /** sentinel.conf lines for the same setup (auth-pass as ${REDIS_PASSWORD}). */
  configLines: string[];
  warnings: string[];
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function sentinelConfLines(s: MonitorSettings): string[] {
  const { host, port } = parseAddress(s.master);
  return [
    `sentinel monitor ${s.name} ${host} ${port} ${s.quorum}`,
    `sentinel down-after-milliseconds ${s.name} ${s.downAfterMs}`,
    `sentinel failover-timeout ${s.name} ${s.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${s.name} ${s.parallelSyncs}`,
    ...(s.auth ? [`sentinel auth-pass ${s.name} \${REDIS_PASSWORD}`, ...(s.auth.username ? [`sentinel auth-user ${s.name} ${s.auth.username}`] : [])] : []),
  ];
}

export function planMonitor(settings: MonitorSettings, sentinels: SentinelNode[]): MonitorPlan {
  const n = sentinels.length;
  if (!NAME.test(settings.name)) throw new ValidationError(`${quoted(settings.name)} is not a usable master name: use 1-64 of letters, digits, '.', '_' and '-'.`, "Pick a name like 'mymaster'.");
  if (!Number.isInteger(settings.quorum) || settings.quorum < 1) throw new ValidationError(`Quorum must be a whole number of at least 1, got ${settings.quorum}.`, `Use ${majorityOf(n)} (a majority of ${n}).`);
  if (settings.quorum > n) {
    throw new ValidationError(`A quorum of ${settings.quorum} can never be reached with ${n} sentinel${n === 1 ? "" : "s"}: the master would never be judged down.`, `Use a quorum of at most ${n}; ${majorityOf(n)} (a majority) is the usual choice.`);
  }
  const ids = new Set<string>();
  for (const s of sentinels) {
    if (ids.has(s.myId)) throw new ValidationError(`${s.address} has the same sentinel id as another listed sentinel (a copied sentinel.conf, or one sentinel listed twice).`, "Give each sentinel its own config file (delete the 'sentinel myid' line of copies) and list each once.");
    ids.add(s.myId);
  }
  const warnings: string[] = [];
  if (n < 3) warnings.push(`${n} sentinel(s) cannot survive losing one host with a majority left; run at least 3.`);
  if (settings.quorum < majorityOf(n)) warnings.push(`Quorum ${settings.quorum} is below the majority (${majorityOf(n)}): it marks the master down sooner, but a failover still needs ${majorityOf(n)} sentinels to agree.`);
  const master = formatAddress(parseAddress(settings.master));
  const plan: MonitorPlan["sentinels"] = sentinels.map((s) => {
    const known = s.masters[settings.name];
    if (!known) return { address: s.address, action: "monitor" };
    const at = formatAddress({ host: known.master.host, port: known.master.port });
    if (at !== master) {
      throw new ValidationError(`Sentinel ${s.address} already monitors ${quoted(settings.name)} at ${at}, not ${master}.`, `Use another name, or fail over with ${toolRef("sentinel_failover")}; to start over, SENTINEL REMOVE ${settings.name} on it first.`);
    }
    return { address: s.address, action: "update" };
  });
  return { kind: "sentinel-monitor", version: 1, settings: { ...settings, master }, sentinels: plan, configLines: sentinelConfLines({ ...settings, master }), warnings };
}

/** SENTINEL SET arguments for the settings (auth-pass value added by apply, never planned). */
export function setArgs(s: MonitorSettings): string[] {
  return ["down-after-milliseconds", String(s.downAfterMs), "failover-timeout", String(s.failoverTimeoutMs), "parallel-syncs", String(s.parallelSyncs), "quorum", String(s.quorum)];
}
