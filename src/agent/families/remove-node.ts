/**
 * "Remove node 127.0.0.1:7003", "scale in the cluster in lab demo": cluster_del_node
 * (destructive, so it is confirmed first). A master's slots are drained over the other
 * masters first. The node is the one named; else a replica when the request says
 * replica, else the master with the fewest slots.
 */
import { chosenPlace, placeOf, whereArgs, whereOrOnlyLab } from "../lab-choice.js";
import { bySlots, checkStep, infoRows, masters, readInfo } from "./migrate-plans.js";
import { defineFamily, type BaseIntent } from "./family.js";

export interface RemoveNodeIntent extends BaseIntent {
  family: "remove_node";
  count: number;
  role?: "master" | "replica";
}

const REMOVE = /\b(?:remove|delete|del|drop|decommission|retire|evict)\b.*\b(?:node|master|replica|shard)s?\b|\bscale (?:in|down)\b|\bshrink\b/;

export const removeNode = defineFamily<RemoveNodeIntent>({
  name: "remove_node",
  doing: "Removing nodes from a cluster",
  example: "remove a node from the cluster in lab demo",
  effect: "change",
  tools: ["cluster_del_node", "cluster_info", "cluster_check"],
  verbs: REMOVE,
  match: (r) => REMOVE.test(r.bare),
  extract: (r) => ({
    family: "remove_node",
    count: r.count(/(\d+) (?:node|master|replica|shard)s?\b/) ?? 1,
    ...(/\breplicas?\b/.test(r.text) ? { role: "replica" as const } : /\bmasters?\b/.test(r.text) ? { role: "master" as const } : {}),
    where: r.where,
    assumed: [],
  }),
  plan(intent, history, env) {
    const at = whereOrOnlyLab(intent.where, history, "remove a node", (lab) => `remove a node from the cluster in lab ${lab}`);
    if (!("where" in at)) return at;
    const rows = infoRows(history);
    if (!rows) return { call: readInfo(at.where), text: `Plan: read the cluster at ${placeOf(at.where)}, remove ${intent.count} node(s) with cluster_del_node (a master is drained first), then cluster_check.` };
    const removed = history.filter((h) => h.call.tool === "cluster_del_node");
    if (removed.length >= intent.count) {
      // The cluster is where the last removal entered it (not the removed node itself).
      const entry = removed[removed.length - 1].call.args as { lab?: string; target?: string; nodes?: string[] };
      const place = entry.lab || entry.target ? at.where : { nodes: entry.nodes };
      return { done: `${env.dryRun ? "Would remove" : "Removed"} ${removed.map((h) => h.call.args.node).join(", ")} from the cluster at ${placeOf(place)}.` };
    }
    const gone = new Set(removed.map((h) => String(h.call.args.node)));
    const left = rows.filter((r) => !gone.has(r.address));
    // The named address is the node to remove (and another member is the entry point).
    const named = intent.where.nodes?.find((a) => left.some((r) => r.address === a));
    const pick = named
      ? left.find((r) => r.address === named)
      : intent.role === "replica"
        ? left.find((r) => r.role === "replica")
        : bySlots(masters(left))[0];
    if (!pick) return { refuse: `There is no ${intent.role ?? "node"} left to remove.`, reason: "impossible" };
    if (pick.role === "master" && masters(left).length <= 1) return { refuse: `${pick.address} is the last master; removing it would lose every slot.`, reason: "impossible" };
    const entry = named ? { nodes: [left.find((r) => r.address !== named)!.address] } : at.where;
    return { call: { tool: "cluster_del_node", args: { ...whereArgs(entry), node: pick.address, ...(pick.role === "master" && pick.slotCount > 0 ? { drain: true } : {}) } } };
  },
  verify: (intent, history) => {
    const where = chosenPlace(intent.where, history) ?? intent.where;
    const rows = infoRows(history);
    const gone = new Set(history.filter((h) => h.call.tool === "cluster_del_node").map((h) => String(h.call.args.node)));
    return checkStep(where.nodes && rows ? { nodes: [rows.find((r) => !gone.has(r.address))!.address] } : where);
  },
});
