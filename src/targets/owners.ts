/**
 * Who owns a server: a lab, a config target, or nobody. Ownership is decided by IP and
 * port, never by how an address is spelled, so "localhost:7000", "127.1:7000" and
 * "127.0.0.1:7000" are one node with one owner. A node several owners list (a lab node
 * also in a target, two targets sharing a server) is read-only unless every one of them
 * allows mutations, whatever order the config lists them in.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { UnreachableError } from "../errors.js";
import { formatAddress, parseAddress } from "../redis/address.js";
import type { LabState } from "../lab/types.js";
import type { Owner } from "../redis/node-access.js";
import type { PilotConfig } from "./config.js";

export type { Owner } from "../redis/node-access.js";

/** One node's identity: the IP its name resolved to (pinned: connections go there) and the port. */
export interface Endpoint {
  ip: string;
  port: number;
  /** "ip:port", the key ownership is looked up by. */
  key: string;
}

export const endpointKey = (ip: string, port: number): string => formatAddress({ host: ip, port });

/**
 * Every IP a host name resolves to (an IP literal is itself), IPv4 first. getaddrinfo
 * also reads the short IPv4 forms (127.1) that isIP does not.
 */
export async function hostIps(host: string): Promise<string[]> {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (isIP(bare)) return [canonicalIp(bare)];
  try {
    const all = await lookup(bare, { all: true });
    const ips = [...new Set(all.map((a) => canonicalIp(a.address)))];
    return [...ips.filter((ip) => isIP(ip) === 4), ...ips.filter((ip) => isIP(ip) === 6)];
  } catch {
    throw new UnreachableError(host, "the host name does not resolve");
  }
}

/** The 8 groups of an IPv6 address (a trailing dotted quad counts as two), or undefined. */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const part = (s: string | undefined) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * The one spelling of the host a connection to `ip` reaches: 127.1 -> 127.0.0.1
 * (getaddrinfo's reading); an IPv4-mapped IPv6 address in any notation (::ffff:127.0.0.1,
 * ::ffff:7f00:1, 0:0:0:0:0:ffff:7f00:1) -> its IPv4 address; the unspecified addresses,
 * which a connect() sends to this host's loopback (0.0.0.0 -> 127.0.0.1, :: -> ::1);
 * IPv6 compressed and lower-case. Two spellings that reach one server must not be two owners.
 */
export function canonicalIp(ip: string): string {
  const bare = ip.replace(/^\[(.*)\]$/, "$1");
  if (isIP(bare) === 4) return bare === "0.0.0.0" ? "127.0.0.1" : bare;
  const g = isIP(bare) === 6 ? ipv6Groups(bare.replace(/%.*$/, "")) : undefined;
  if (!g) return bare.toLowerCase();
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return canonicalIp(`${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`);
  if (g.every((x) => x === 0)) return "::1";
  // RFC 5952: the longest run of two or more zero groups becomes "::".
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  return best.at < 0 ? hex.join(":") : `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.len).join(":")}`;
}

export interface Claim {
  owner: Owner;
  mutable: boolean;
}

/** ip:port -> every owner that lists it, and each owner's zones. Built per call: labs come and go, DNS changes. */
export class OwnerIndex {
  private readonly claims = new Map<string, Claim[]>();
  private readonly zones = new Map<string, string>();

  /** An owner's zone label for a node (a target's zones may name nodes that are not seeds). */
  setZone(owner: Owner, key: string, zone: string): void {
    this.zones.set(`${ownerName(owner)}|${owner.kind}|${key}`, zone);
  }

  zoneOf(owner: Owner, key: string): string | undefined {
    return this.zones.get(`${ownerName(owner)}|${owner.kind}|${key}`);
  }

  add(key: string, claim: Claim): void {
    const list = this.claims.get(key) ?? [];
    if (!list.some((c) => sameOwner(c.owner, claim.owner))) list.push(claim);
    this.claims.set(key, list);
  }

  claimsOf(key: string): Claim[] {
    return this.claims.get(key) ?? [];
  }

  /** The keys an owner lists. */
  keysOf(owner: Owner): string[] {
    return [...this.claims].filter(([, cs]) => cs.some((c) => sameOwner(c.owner, owner))).map(([k]) => k);
  }
}

export function sameOwner(a: Owner, b: Owner): boolean {
  return a.kind === b.kind && (a.kind === "none" || a.name === (b as { name: string }).name);
}

/**
 * Labs first, then targets by name: the owner whose credentials a node shared by several
 * gets. Sorting by name keeps the outcome independent of the config's order.
 */
export function primaryClaim(claims: Claim[]): Claim | undefined {
  const rank = (c: Claim) => (c.owner.kind === "lab" ? 0 : 1);
  return [...claims].sort((a, b) => rank(a) - rank(b) || ownerName(a.owner).localeCompare(ownerName(b.owner)))[0];
}

const ownerName = (o: Owner) => (o.kind === "none" ? "" : o.name);

/** Resolves a host:port to its endpoint, preferring an IP some owner lists (then IPv4). */
export async function endpointOf(address: string, index?: OwnerIndex): Promise<Endpoint> {
  const { host, port } = parseAddress(address);
  const ips = await hostIps(host);
  const owned = index ? ips.find((ip) => index.claimsOf(endpointKey(ip, port)).length > 0) : undefined;
  const ip = owned ?? ips[0];
  return { ip, port, key: endpointKey(ip, port) };
}

/** Index of every lab node and every config target node (target host names resolved). */
export async function buildOwnerIndex(labs: LabState[], config: PilotConfig | undefined): Promise<OwnerIndex> {
  const index = new OwnerIndex();
  // A name that does not resolve owns nothing; calls naming it fail when they connect.
  const keys = async (address: string) => {
    const { host, port } = parseAddress(address);
    return (await hostIps(host).catch(() => [] as string[])).map((ip) => endpointKey(ip, port));
  };
  for (const lab of labs) {
    const owner: Owner = { kind: "lab", name: lab.name };
    // A lab owns its sentinels as it owns its nodes.
    for (const n of [...lab.nodes, ...(lab.sentinels ?? [])]) {
      for (const key of await keys(formatAddress(n))) {
        index.add(key, { owner, mutable: true });
        index.setZone(owner, key, n.zone);
      }
    }
  }
  await Promise.all(
    Object.entries(config?.targets ?? {}).map(async ([name, t]) => {
      const owner: Owner = { kind: "target", name };
      for (const seed of t.nodes) for (const key of await keys(seed)) index.add(key, { owner, mutable: t.allowMutations });
      for (const [address, zone] of Object.entries(t.zones ?? {})) for (const key of await keys(address)) index.setZone(owner, key, zone);
    }),
  );
  return index;
}
