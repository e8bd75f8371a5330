/**
 * "Set up Sentinel with 3 sentinels and quorum 2": a master, its replicas and the
 * Sentinels that watch it. A failover needs a majority of all Sentinels, so fewer than
 * 3 cannot lose one; Sentinel watches replication, never a Redis Cluster.
 */
import { plural, refuse } from "../intent.js";
import { CREATE, replicasOf, zonesOf } from "../vocabulary.js";
import { FAILOVER } from "./failover.js";
import { defineFamily, type BaseIntent, type PlanEnv, type Step } from "./family.js";

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
  tools: ["lab_up", "replication_attach", "sentinel_monitor", "sentinel_check"],
  // "fail over mymaster through sentinel" is a failover; "set up sentinel for automatic failover" is this.
  match: (r) => /\bsentinel\b/.test(r.bare) && !(FAILOVER.test(r.bare) && !new RegExp(CREATE.source).test(r.bare)),
  extract(r) {
    if (/\bcluster\b/.test(r.bare)) {
      return refuse("impossible", "Sentinel watches a master and its replicas, not a Redis Cluster, which fails over by itself.", 'Ask for one of them: "set up sentinel with 3 sentinels" or "create a cluster with 3 masters".');
    }
    const assumed: string[] = [];
    const masters = r.count(/(\d+) master\b/);
    if (masters !== undefined && masters !== 1) {
      return refuse("impossible", `The request names ${plural(masters, "master")}; a Sentinel setup here watches one.`, "Ask for one master with its replicas and sentinels.");
    }
    // "Sentinel with 3 nodes": the classic layout of N boxes, each a Redis node (1 master, N - 1 replicas) beside a sentinel.
    const nodes = r.count(/(\d+) node\b/);
    const replicas = replicasOf(r);
    const asked = replicas.each ?? replicas.total;
    if (nodes !== undefined && nodes < 2) return refuse("impossible", `${plural(nodes, "node")} leaves Sentinel no replica to promote.`, 'Ask for at least 2 nodes, e.g. "set up sentinel with 3 nodes".');
    if (nodes !== undefined && asked !== undefined && asked !== nodes - 1) {
      return refuse("impossible", `${plural(nodes, "node")} cannot hold 1 master and ${plural(asked, "replica")}: that takes ${asked + 1}.`, `Ask for ${asked + 1} nodes, or leave one of the counts out.`);
    }
    const count = asked ?? (nodes !== undefined ? nodes - 1 : 2);
    const sentinelsSaid = r.count(/(\d+) sentinel\b/);
    const sentinels = sentinelsSaid ?? Math.max(3, nodes ?? 3);
    if (sentinelsSaid === undefined) assumed.push(nodes === undefined ? "3 sentinels" : `${sentinels} sentinels (one beside each node${nodes < 3 ? ", plus one so that losing any one leaves a majority" : ""})`);
    const majority = Math.floor(sentinels / 2) + 1;
    const quorum = r.count(/\bquorum (?:of |is |=|to )?(\d+)/) ?? r.count(/(\d+) quorum\b/) ?? (assumed.push(`quorum ${majority}`), majority);
    if (asked === undefined && nodes === undefined) assumed.push("2 replicas");
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
  plan(intent, history, env) {
    const { calls, plan, done } = steps(intent, env);
    if (history.length < calls.length) return { call: calls[history.length], ...(history.length === 0 ? { text: plan } : {}) };
    return { done };
  },
  verify: (intent, _history, env) => ({ tool: "sentinel_check", args: { lab: intent.where.lab ?? env.newLab } }),
  verifiedBy: ["sentinel_check"],
});

/**
 * The classic 3-box layout (1 master, 2 replicas, 3 sentinels, quorum 2) is the sentinel-3
 * template; other shapes start the nodes and sentinels, attach the replicas and monitor.
 */
function steps(intent: SentinelIntent, env: PlanEnv): { calls: Step[]; plan: string; done: string } {
  const lab = intent.where.lab ?? env.newLab;
  const shape = `1 master, ${plural(intent.replicas, "replica")}, ${plural(intent.sentinels, "sentinel")} with quorum ${intent.quorum}`;
  const done = `${env.dryRun ? "Would set up" : "Set up"} Sentinel in lab ${lab}: ${shape}; a failover needs ${Math.floor(intent.sentinels / 2) + 1} sentinels to agree.`;
  if (intent.sentinels === 3 && intent.replicas === 2 && intent.quorum === 2 && intent.zones <= 3) {
    return {
      calls: [{ tool: "lab_up", args: { name: lab, template: "sentinel-3" } }],
      plan: `Plan: lab_up starts lab ${lab} from the sentinel-3 template (${shape}, one box per zone), built and verified through replication_attach and sentinel_monitor; then sentinel_check.`,
      done,
    };
  }
  const zones = Math.max(intent.zones, 1);
  return {
    calls: [
      { tool: "lab_up", args: { name: lab, nodes: 1 + intent.replicas, sentinels: intent.sentinels, zones, cluster: false } },
      { tool: "replication_attach", args: { lab, confirm: true } },
      { tool: "sentinel_monitor", args: { lab, quorum: intent.quorum } },
    ],
    plan: `Plan: lab_up starts lab ${lab} with ${plural(1 + intent.replicas, "node")} and ${plural(intent.sentinels, "sentinel")}, replication_attach makes the first node the master of the others, sentinel_monitor makes every sentinel watch it with quorum ${intent.quorum}; then sentinel_check.`,
    done,
  };
}
