/**
 * "Set up Sentinel with 3 sentinels and quorum 2": a master, its replicas and the
 * Sentinels that watch it. A failover needs a majority of all Sentinels, so fewer than
 * 3 cannot lose one; Sentinel watches replication, never a Redis Cluster.
 */
import { plural, refuse } from "../intent.js";
import { replicasOf, zonesOf } from "../vocabulary.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface SentinelIntent extends BaseIntent {
  family: "sentinel";
  sentinels: number;
  quorum: number;
  replicas: number;
  zones: number;
}

export const sentinel = defineFamily<SentinelIntent>({
  name: "sentinel",
  doing: "Setting up Sentinel",
  example: "set up sentinel with 3 sentinels and quorum 2",
  effect: "change",
  tools: ["lab_up", "sentinel_setup", "sentinel_check"],
  match: (r) => /\bsentinel\b/.test(r.bare),
  extract(r) {
    if (/\bcluster\b/.test(r.bare)) {
      return refuse("impossible", "Sentinel watches a master and its replicas, not a Redis Cluster, which fails over by itself.", 'Ask for one of them: "set up sentinel with 3 sentinels" or "create a cluster with 3 masters".');
    }
    const assumed: string[] = [];
    const masters = r.count(/(\d+) master\b/);
    if (masters !== undefined && masters !== 1) {
      return refuse("impossible", `The request names ${plural(masters, "master")}; a Sentinel setup here watches one.`, "Ask for one master with its replicas and sentinels.");
    }
    const sentinels = r.count(/(\d+) sentinel\b/) ?? (assumed.push("3 sentinels"), 3);
    const majority = Math.floor(sentinels / 2) + 1;
    const quorum = r.count(/\bquorum (?:of |is |=|to )?(\d+)/) ?? r.count(/(\d+) quorum\b/) ?? (assumed.push(`quorum ${majority}`), majority);
    const replicas = replicasOf(r);
    const count = replicas.each ?? replicas.total ?? (assumed.push("2 replicas"), 2);
    // A failover needs a majority of all sentinels to authorize it, and must survive losing one.
    if (sentinels < 3) {
      return refuse(
        "impossible",
        `${plural(sentinels, "sentinel")} cannot authorize a failover after losing one: a failover needs a majority of the sentinels (${majority} of ${sentinels}), and only ${sentinels - 1} would be left.`,
        "Ask for 3 sentinels with quorum 2 (any one can be lost).",
      );
    }
    if (quorum < 1 || quorum > sentinels) {
      return refuse("impossible", `A quorum of ${quorum} can never be reached by ${plural(sentinels, "sentinel")}.`, `Ask for quorum ${majority} (a majority of ${sentinels}).`);
    }
    return { family: "sentinel", sentinels, quorum, replicas: count, zones: zonesOf(r, assumed) ?? 1, where: r.where, assumed };
  },
});
