/** Node checks: reachability, failure flags, cluster_state, membership and role agreement, epochs, count. */
import type { ClusterView, NodeFlag } from "../topology/types.js";
import type { Finding } from "./finding.js";
import { clusterMembers, entryAddress, type Member } from "../topology/members.js";
import { listNames, nameOf } from "./names.js";
import { shortRanges } from "./slot-checks.js";
import { toolRef } from "../registry/words.js";

export function checkUnreachable(view: ClusterView): Finding[] {
  return view.unreachable.map((u) => ({
    severity: "error",
    code: "node_unreachable",
    message: `${u.address} could not be read: ${u.error}`,
    next: `Check that ${u.address} runs and accepts connections with these credentials; if it is gone for good, replace it or CLUSTER FORGET it on every node.`,
    node: u.address,
  }));
}

const FLAG_FINDINGS: { flag: NodeFlag; code: string; severity: Finding["severity"]; what: string; next: string }[] = [
  {
    flag: "fail",
    code: "node_failed",
    severity: "error",
    what: "marked failed (fail)",
    next: `Bring the node back or replace it; if it was a master, check that a replica took over its slots (${toolRef("cluster_info")}); CLUSTER FORGET it on every node if it is gone for good.`,
  },
  {
    flag: "fail?",
    code: "node_pfail",
    severity: "error",
    what: "suspected failing (fail?)",
    next: "The node stopped answering cluster pings: check that it runs and that its bus port (port + 10000) is reachable from its peers.",
  },
  {
    flag: "noaddr",
    code: "node_noaddr",
    severity: "warning",
    what: "without a known address (noaddr)",
    next: "CLUSTER MEET the node again at its address, or CLUSTER FORGET it on every node if it is gone.",
  },
];

/** Nodes that some peer flags fail / fail? / noaddr, and MEETs stuck in handshake. */
export function checkNodeFlags(view: ClusterView): Finding[] {
  const members = clusterMembers(view);
  const findings: Finding[] = [];
  for (const spec of FLAG_FINDINGS) {
    for (const m of members.values()) {
      const by = m.flaggedBy[spec.flag];
      if (!by?.length) continue;
      const slots = m.entry.slots.length ? `, a master of slots ${shortRanges(m.entry.slots, 3)},` : "";
      findings.push({
        severity: spec.severity,
        code: spec.code,
        message: `${nameOf(members, m.id)}${slots} is ${spec.what} by ${by.length === view.nodes.length ? `all ${by.length} nodes read` : listNames(by)}.`,
        next: spec.next,
        node: m.address,
      });
    }
  }
  const handshakes = new Map<string, string[]>();
  for (const node of view.nodes) {
    for (const p of node.peers) {
      if (!p.flags.includes("handshake")) continue;
      const address = entryAddress(p);
      handshakes.set(address, [...(handshakes.get(address) ?? []), node.address]);
    }
  }
  for (const [address, by] of handshakes) {
    findings.push({
      severity: "warning",
      code: "node_handshake",
      message: `${address} is still in handshake on ${listNames(by)}.`,
      next: `A CLUSTER MEET has not completed: check that ${address} runs and its bus port (port + 10000) is reachable; Redis drops the handshake after node-timeout.`,
      node: address,
    });
  }
  return findings;
}

export function checkClusterState(view: ClusterView): Finding[] {
  const failing = view.nodes.filter((n) => n.clusterState !== "ok").map((n) => n.address);
  if (failing.length === 0) return [];
  return [
    {
      severity: "error",
      code: "cluster_state_fail",
      message: `cluster_state is fail on ${failing.length} of ${view.nodes.length} nodes: ${listNames(failing)}.`,
      next: "A node reports fail while it sees uncovered slots or a failed master, or sits in a minority; fix the other findings (a master that rejoins stays fail for up to node-timeout).",
      node: failing[0],
    },
  ];
}

/** Every node should know every member; and all should agree on each member's role and master. */
export function checkMembershipAgreement(view: ClusterView): Finding[] {
  const members = clusterMembers(view);
  const findings: Finding[] = [];
  for (const node of view.nodes) {
    const known = new Set(node.peers.filter((p) => !p.flags.includes("handshake")).map((p) => p.id));
    const missing = [...members.keys()].filter((id) => !known.has(id));
    if (missing.length === 0) continue;
    findings.push({
      severity: "error",
      code: "node_unknown_peers",
      message: `${node.address} does not know ${missing.length} of the cluster's nodes: ${listNames(missing.map((id) => nameOf(members, id)))}.`,
      next: `Usually gone within seconds as gossip spreads; if it stays, CLUSTER MEET ${node.address} with one of them.`,
      node: node.address,
    });
  }
  for (const m of members.values()) {
    const says = new Map<string, string[]>();
    for (const node of view.nodes) {
      const e = node.peers.find((p) => p.id === m.id);
      if (!e) continue;
      const role = e.role === "replica" ? `replica of ${e.masterId ? nameOf(members, e.masterId) : "an unknown master"}` : "master";
      says.set(role, [...(says.get(role) ?? []), node.address]);
    }
    if (says.size < 2) continue;
    const claims = [...says].map(([role, nodes]) => `${listNames(nodes, 3)} ${nodes.length === 1 ? "says" : "say"} ${role}`);
    findings.push({
      severity: "error",
      code: "role_disagreement",
      message: `Nodes disagree on the role of ${nameOf(members, m.id)}: ${claims.join("; ")}.`,
      next: `Usually gone within seconds after a failover or CLUSTER REPLICATE; if it stays, compare config epochs (${toolRef("cluster_info")}).`,
      node: m.address,
    });
  }
  return findings;
}

/**
 * Two masters with one config epoch: Redis settles a collision between any two masters
 * (slots or not) by bumping one, so one that persists means the bump is not happening,
 * and a later conflicting slot claim could not be settled by epoch. Only masters that
 * some node knows together count: unjoined nodes all sit at epoch 0 in clusters of one.
 */
export function checkConfigEpochs(view: ClusterView): Finding[] {
  const members = clusterMembers(view);
  const masters = [...members.values()].filter((m) => m.entry.role === "master");
  const together = (a: Member, b: Member) => view.nodes.some((n) => n.peers.some((p) => p.id === a.id) && n.peers.some((p) => p.id === b.id));
  const byEpoch = new Map<number, Member[]>();
  for (const m of masters) byEpoch.set(m.entry.configEpoch, [...(byEpoch.get(m.entry.configEpoch) ?? []), m]);
  const findings: Finding[] = [];
  for (const [epoch, ms] of byEpoch) {
    const colliding = ms.filter((m) => ms.some((o) => o !== m && together(m, o)));
    if (colliding.length < 2) continue;
    findings.push({
      severity: "error",
      code: "config_epoch_collision",
      message: `Masters ${listNames(colliding.map((m) => m.address))} share config epoch ${epoch}.`,
      next: `Redis resolves collisions by itself within seconds; if it stays, run CLUSTER BUMPEPOCH on ${colliding[1].address}.`,
      node: colliding[0].address,
    });
  }
  return findings;
}

export function checkNodeCount(view: ClusterView, expected: number | undefined): Finding[] {
  if (expected === undefined) return [];
  const n = clusterMembers(view).size;
  if (n === expected) return [];
  return [
    {
      severity: "error",
      code: "node_count_mismatch",
      message: `The cluster has ${n} nodes; ${expected} were expected.`,
      next: n < expected ? "CLUSTER MEET the missing nodes (or check the expected count)." : `Find the extra nodes with ${toolRef("cluster_info")}; CLUSTER FORGET them if they do not belong.`,
    },
  ];
}
