/**
 * Partitions as data: which zone pairs are cut, the loopback subnet of each zone, the
 * iptables rules that cut them and the chain that holds them. Pure; iptables.ts runs it.
 *
 * A cut between zones A and B drops every TCP packet between an address of A's subnet and
 * a port this lab's processes listen on in B (client and cluster bus ports), both ways,
 * and the same for B's subnet and A's processes. Lab nodes send from their own address
 * (bind-source-addr), so a cut holds for the cluster bus, replication and Sentinel alike;
 * a drill client bound to 127.0.Z.x is cut like zone Z's nodes; a client on 127.0.0.1
 * (no zone) still reaches every node. Other labs on the same subnets listen on other
 * ports, so one lab's partition never touches another's traffic.
 */
import { createHash } from "node:crypto";
import { ValidationError } from "../../errors.js";
import { argRef } from "../../registry/words.js";

export type Cut = [string, string];

/** Prefix of every chain the lab owns; nothing else with this prefix is ours to touch. */
export const CHAIN_PREFIX = "RPILOT-";
/** The comment on our jump rule names the lab's state dir, so a later run can tell whose it is. */
export const COMMENT_PREFIX = "redis-pilot lab ";

/** One chain per lab (per lab home and name), short enough for iptables' 28-character limit. */
export function chainName(labKey: string): string {
  return CHAIN_PREFIX + createHash("sha256").update(labKey).digest("hex").slice(0, 12);
}

/** Each zone's /24 subnets, from the addresses its nodes were given (127.0.Z.H). */
export function zoneSubnets(nodes: ReadonlyArray<{ host: string; zone: string }>): Map<string, string[]> {
  const subnets = new Map<string, string[]>();
  for (const n of nodes) {
    const m = /^(127\.\d{1,3}\.\d{1,3})\.\d{1,3}$/.exec(n.host);
    if (!m) throw new ValidationError(`Node ${n.host} of zone ${n.zone} is not on a loopback address, so it cannot be partitioned.`, "Partition labs only: their nodes live on 127.0.ZONE.N.");
    const subnet = `${m[1]}.0/24`;
    const list = subnets.get(n.zone) ?? [];
    if (!list.includes(subnet)) list.push(subnet);
    subnets.set(n.zone, list);
  }
  return subnets;
}

const key = ([a, b]: Cut): string => (a < b ? `${a}|${b}` : `${b}|${a}`);
const ordered = ([a, b]: Cut): Cut => (a < b ? [a, b] : [b, a]);

/** The cuts after isolating `zone` from every other zone (existing cuts kept, no duplicates, sorted). */
export function isolate(zone: string, zones: readonly string[], existing: readonly Cut[] = []): Cut[] {
  if (!zones.includes(zone)) {
    throw new ValidationError(`Zone '${zone}' is not a zone of this lab (zones: ${zones.join(", ")}).`, "Name one of the lab's zones; lab_status lists them.");
  }
  if (zones.length < 2) throw new ValidationError(`The lab has only zone ${zone}: there is nothing to cut it from.`, `Start the lab with ${argRef("zones", "2", "lab_up")} or more.`);
  const all = new Map(existing.map((c) => [key(c), ordered(c)]));
  for (const other of zones) if (other !== zone) all.set(key([zone, other]), ordered([zone, other]));
  return [...all.values()].sort((x, y) => key(x).localeCompare(key(y)));
}

/** The cuts left after healing `zone` (every cut touching it), or after healing all when zone is undefined. */
export function heal(existing: readonly Cut[], zone?: string): Cut[] {
  return zone === undefined ? [] : existing.filter(([a, b]) => a !== zone && b !== zone);
}

/** A process of the lab that a cut isolates: its address, zone and the ports it listens on. */
export interface CutMember {
  host: string;
  zone: string;
  /** Client port, and the cluster bus port for a cluster node. */
  ports: number[];
}

/** iptables' multiport match takes at most 15 ports. */
const MULTIPORT_MAX = 15;

/** `iptables -A` argument lists for the chain: both directions of every cut, per member of either side. */
export function chainRules(chain: string, cuts: readonly Cut[], members: readonly CutMember[]): string[][] {
  const subnets = zoneSubnets(members);
  const rules: string[][] = [];
  // Traffic between `other`'s subnets and member m's ports: packets to them and packets from them.
  const isolate = (m: CutMember, other: string) => {
    for (let i = 0; i < m.ports.length; i += MULTIPORT_MAX) {
      const ports = m.ports.slice(i, i + MULTIPORT_MAX).join(",");
      for (const net of subnets.get(other) ?? []) {
        rules.push(["-A", chain, "-s", net, "-d", `${m.host}/32`, "-p", "tcp", "-m", "multiport", "--dports", ports, "-j", "DROP"]);
        rules.push(["-A", chain, "-s", `${m.host}/32`, "-d", net, "-p", "tcp", "-m", "multiport", "--sports", ports, "-j", "DROP"]);
      }
    }
  };
  for (const [a, b] of cuts) {
    for (const m of members) {
      if (m.zone === b) isolate(m, a);
      if (m.zone === a) isolate(m, b);
    }
  }
  return rules;
}

/** The rule that sends INPUT traffic through the lab's chain, as arguments after -I/-C/-D INPUT. */
export function jumpSpec(chain: string, labKey: string): string[] {
  return ["-m", "comment", "--comment", COMMENT_PREFIX + labKey, "-j", chain];
}

export interface OwnedJump {
  chain: string;
  labKey: string;
}

/**
 * Our jump rules in `iptables -S INPUT` output: the comment carries the lab key, the target
 * our chain prefix. Any other rule is someone else's and is never returned.
 */
export function parseOwnedJumps(listing: string): OwnedJump[] {
  const jumps: OwnedJump[] = [];
  for (const line of listing.split("\n")) {
    const m = /^-A INPUT -m comment --comment "?(.+?)"? -j (\S+)$/.exec(line.trim());
    if (!m || !m[1].startsWith(COMMENT_PREFIX) || !m[2].startsWith(CHAIN_PREFIX)) continue;
    const labKey = m[1].slice(COMMENT_PREFIX.length);
    // Only a chain whose name follows from the key is ours, whatever else a comment says.
    if (chainName(labKey) === m[2]) jumps.push({ chain: m[2], labKey });
  }
  return jumps;
}
