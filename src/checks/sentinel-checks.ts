/**
 * Checks over a SentinelView for one master name: reachability, agreement on the master
 * and its epoch, CKQUORUM, quorum versus majority, sentinels that do not see each other,
 * placement against the master's host and zone, and replica priorities. Pure.
 */
import { formatAddress } from "../redis/address.js";
import type { SentinelView } from "../topology/sentinel-view.js";
import { masterAddresses } from "../topology/sentinel-view.js";
import type { Finding } from "./finding.js";
import { toolRef } from "../registry/words.js";

export const majorityOf = (n: number): number => Math.floor(n / 2) + 1;

/** Where the master runs, for placement: its IP and zone as the caller knows them. */
export interface MasterPlacement {
  ip?: string;
  zone?: string;
}

function agreement(view: SentinelView, name: string): Finding[] {
  const out: Finding[] = [];
  const addrs = masterAddresses(view, name);
  const missing = [...addrs].filter(([, a]) => a === undefined).map(([s]) => s);
  for (const s of missing) {
    out.push({ severity: "error", code: "sentinel_not_monitoring", message: `Sentinel ${s} does not monitor ${name}.`, next: `Add it with ${toolRef("sentinel_monitor")} (SENTINEL MONITOR ${name} ...) on ${s}.`, node: s });
  }
  const claims = new Map<string, string[]>();
  for (const [s, a] of addrs) if (a) claims.set(a, [...(claims.get(a) ?? []), s]);
  if (claims.size > 1) {
    out.push({
      severity: "error",
      code: "sentinel_disagree",
      message: `Sentinels disagree on the master of ${name}: ${[...claims].map(([a, ss]) => `${ss.join(", ")} say ${a}`).join("; ")}.`,
      next: "Usually settles within seconds of a failover; if it stays, SENTINEL RESET the odd ones out, or re-monitor them at the right address.",
    });
  }
  const epochs = new Set(view.sentinels.filter((s) => s.masters[name]).map((s) => s.masters[name].master.configEpoch));
  if (epochs.size > 1 && claims.size <= 1) {
    out.push({ severity: "warning", code: "sentinel_epoch_disagree", message: `Sentinels report different config epochs for ${name} (${[...epochs].join(", ")}).`, next: "Settles as sentinels exchange hellos (every 2 s); if it stays, check that they reach each other." });
  }
  return out;
}

function health(view: SentinelView, name: string): Finding[] {
  const out: Finding[] = view.unreachable.map((u) => ({ severity: "error" as const, code: "sentinel_unreachable", message: `Sentinel ${u.address} could not be read: ${u.error}`, next: `Check that the sentinel at ${u.address} runs; with it gone, ${name}'s failover needs a majority of the rest.`, node: u.address }));
  for (const s of view.sentinels) {
    const m = s.masters[name];
    if (s.tilt) out.push({ severity: "warning", code: "sentinel_tilt", message: `Sentinel ${s.address} is in TILT mode: it acts on nothing until its clock settles (30 s).`, next: "TILT follows a clock jump or a long stall of the sentinel process; check the host's load.", node: s.address });
    if (!m) continue;
    if (!m.ckquorum.ok) out.push({ severity: "error", code: "ckquorum_failed", message: `SENTINEL CKQUORUM ${name} on ${s.address}: ${m.ckquorum.message.replace(/^\w+ /, "")}`, next: "Start or reach more sentinels, or lower the quorum (it must stay reachable by a majority).", node: s.address });
    const flags = m.master.flags;
    if (flags.includes("o_down")) out.push({ severity: "error", code: "master_odown", message: `Sentinel ${s.address} sees master ${name} objectively down (o_down).`, next: "A failover should follow; check sentinel_check again in a few seconds.", node: s.address });
    else if (flags.includes("s_down")) out.push({ severity: "error", code: "master_sdown", message: `Sentinel ${s.address} sees master ${name} subjectively down (s_down).`, next: "Check that the master answers PING from the sentinel's host.", node: s.address });
    if (flags.some((f) => f.startsWith("failover_"))) out.push({ severity: "warning", code: "failover_in_progress", message: `Sentinel ${s.address} is failing over ${name} (${flags.filter((f) => f.startsWith("failover_")).join(", ")}).`, next: "Wait for it to finish, then check again.", node: s.address });
  }
  return out;
}

function quorum(view: SentinelView, name: string): Finding[] {
  const known = view.sentinels.filter((s) => s.masters[name]);
  if (known.length === 0) return [];
  const n = Math.max(known.length + view.unreachable.length, ...known.map((s) => s.masters[name].master.numOtherSentinels + 1));
  const q = Math.max(...known.map((s) => s.masters[name].master.quorum));
  const majority = majorityOf(n);
  const out: Finding[] = [];
  if (q > n) {
    out.push({ severity: "error", code: "quorum_unreachable", message: `Quorum ${q} for ${name} is larger than the ${n} sentinels: the master can never be judged down, so no failover ever happens.`, next: `Lower it: SENTINEL SET ${name} quorum ${majority} (or run at least ${q} sentinels).` });
  } else {
    out.push({
      severity: "info",
      code: "quorum_vs_majority",
      message: `${name}: quorum ${q} of ${n} sentinels detects a failure (ODOWN), but only a majority (${majority}) can authorize the failover${q < majority ? `: with ${q} agreeing but fewer than ${majority} reachable the master is marked down and nothing happens` : ""}.`,
      next: n < 3 ? "Run at least 3 sentinels on independent hosts." : `Keep at least ${majority} sentinels reachable from each other in any failure you plan for.`,
    });
  }
  if (n < 3) out.push({ severity: "warning", code: "too_few_sentinels", message: `${name} is watched by ${n} sentinel(s): losing one host leaves no majority to authorize a failover.`, next: "Run at least 3 sentinels on independent hosts or zones." });
  for (const s of known) {
    const others = s.masters[name].master.numOtherSentinels;
    if (others < n - 1) out.push({ severity: "warning", code: "sentinel_missing_peers", message: `Sentinel ${s.address} knows ${others} of the ${n - 1} other sentinels of ${name}.`, next: "Sentinels find each other through the master's __sentinel__:hello channel every 2 s; check they reach the master and each other (announce-ip behind NAT).", node: s.address });
  }
  return out;
}

function placement(view: SentinelView, name: string, master: MasterPlacement | undefined): Finding[] {
  if (!master) return [];
  const known = view.sentinels.filter((s) => s.masters[name]);
  const n = known.length;
  const majority = majorityOf(n);
  const out: Finding[] = [];
  const sameHost = known.filter((s) => master.ip !== undefined && s.ip === master.ip);
  const sameZone = known.filter((s) => master.zone !== undefined && s.zone === master.zone);
  const hosts = new Set(known.map((s) => s.ip));
  const zones = new Set(known.map((s) => s.zone).filter(Boolean));
  if (hosts.size > 1 && sameHost.length >= majority) {
    out.push({ severity: "error", code: "sentinel_majority_with_master", message: `${sameHost.length} of ${n} sentinels of ${name} share the master's host (${master.ip}): losing that host loses the majority needed to fail over.`, next: "Move sentinels to other hosts so that no host holds a majority." });
  }
  if (zones.size > 1 && sameZone.length >= majority) {
    out.push({ severity: "error", code: "sentinel_majority_in_master_zone", message: `${sameZone.length} of ${n} sentinels of ${name} are in the master's zone ${master.zone}: losing ${master.zone} loses the master and the majority at once.`, next: "Spread sentinels so that no zone holds a majority (e.g. one per zone across 3 zones)." });
  }
  for (const s of sameHost) {
    if (hosts.size > 1 && sameHost.length < majority) out.push({ severity: "info", code: "sentinel_with_master", message: `Sentinel ${s.address} runs on the master's host: when that host dies, the other ${n - 1} must still form a majority (${majority}).`, next: "Fine with 3+ sentinels on separate hosts; avoid it with fewer.", node: s.address });
  }
  return out;
}

function priorities(view: SentinelView, name: string): Finding[] {
  const s = view.sentinels.find((x) => x.masters[name]);
  if (!s) return [];
  const replicas = s.masters[name].replicas;
  // Judged only on replicas the sentinel has fully seen (linked to the master): a replica it just met reports no priority yet.
  const usable = replicas.filter((r) => !r.flags.includes("s_down") && !r.flags.includes("disconnected") && (r.masterLinkStatus === undefined || r.masterLinkStatus === "ok"));
  if (replicas.length === 0) return [{ severity: "error", code: "sentinel_no_replicas", message: `Sentinel ${s.address} knows no replica of ${name}: a failover has nothing to promote.`, next: `Attach a replica (${toolRef("replication_attach")}); sentinels discover it from the master's INFO within 10 s.` }];
  const out: Finding[] = [];
  if (usable.length > 0 && usable.every((r) => r.replicaPriority === 0)) {
    out.push({ severity: "error", code: "replica_priority_all_zero", message: `Every usable replica of ${name} has replica-priority 0: Sentinel will never promote any of them.`, next: "Give at least one replica a non-zero replica-priority (CONFIG SET replica-priority 100)." });
  }
  for (const r of replicas.filter((x) => x.flags.includes("s_down") || x.flags.includes("disconnected"))) {
    out.push({ severity: "warning", code: "sentinel_replica_down", message: `Sentinel ${s.address} sees replica ${formatAddress({ host: r.host, port: r.port })} of ${name} down (${r.flags.join(",")}).`, next: "Bring it back; until then it cannot be promoted.", node: formatAddress({ host: r.host, port: r.port }) });
  }
  return out;
}

export function checkSentinels(view: SentinelView, name: string, master?: MasterPlacement): Finding[] {
  return [...health(view, name), ...agreement(view, name), ...quorum(view, name), ...placement(view, name, master), ...priorities(view, name)];
}
