/**
 * The NodeAccess a resolved call gets: per node, the owner found by IP and port, that
 * owner's credentials and nobody else's, and the mutation policy. A peer an op discovers
 * is admitted here before it is touched: it belongs to whoever lists it; else, when a
 * target's own node reported it, to that target (a target's config lists only seeds);
 * else to nobody. Labs are closed sets: their state lists every node, so a lab node's
 * unknown peer belongs to nobody and never sees the lab password.
 */
import { CredentialsNotForwardedError, MutationNotAllowedError } from "../errors.js";
import { formatAddress, parseAddress } from "../redis/address.js";
import type { ConnectionOptions } from "../redis/connection.js";
import { describeOwner, type NodeAccess, type NodeGrant, type Owner } from "../redis/node-access.js";
import { endpointOf, primaryClaim, sameOwner, type Claim, type OwnerIndex } from "./owners.js";

export interface AccessPolicy {
  index: OwnerIndex;
  mutate: boolean;
  /** Bare addresses (no owner) may be changed: the CLI operator typed them, or the config says so. */
  bareMutable: boolean;
  /** The credentials an owner's nodes get (bare addresses: Owner "none"). */
  credentials(owner: Owner): ConnectionOptions;
}

/** Why a node may not be changed, in one sentence plus the next step. */
export function refusal(address: string, owner: Owner, claims: Claim[], via?: string): MutationNotAllowedError {
  const node = via ? `${address} (reported by ${via})` : address;
  // A peer no lab or target claims carries an ownerless claim (admit): that is the bare-address case, not an owner to name.
  const blocking = claims.filter((c) => !c.mutable && c.owner.kind !== "none").map((c) => describeOwner(c.owner));
  if (owner.kind === "none" && blocking.length === 0) {
    return new MutationNotAllowedError(
      `${node} is read-only here: it belongs to no lab or config target, and bare addresses are read-only for this caller.`,
      "Use a lab, or list the node in a config target with allowMutations: true.",
    );
  }
  const names = blocking.length ? blocking : [describeOwner(owner)];
  const all = claims.length > 1 ? `${claims.map((c) => describeOwner(c.owner)).join(" and ")} list it, and ` : "";
  return new MutationNotAllowedError(
    `${node} is read-only here: ${all}${names.join(", ")} ${names.length > 1 ? "do" : "does"} not allow mutations.`,
    `Use a lab, or set allowMutations: true on ${names.join(", ")} in the config file if changing those servers is intended.`,
  );
}

/** Why `from`'s credentials may not travel to `to`, in one sentence plus the next step. */
function refuseForward(from: NodeGrant, to: NodeGrant, what: string): never {
  const owner = describeOwner(from.owner);
  throw new CredentialsNotForwardedError(
    `${to.address} (${describeOwner(to.owner)}) would be given the credentials of ${from.address} (${owner}) ${what}, and ${owner}'s credentials go only to its own servers.`,
    to.owner.kind === "none" && from.owner.kind === "target"
      ? `If ${to.address} is one of ${owner}'s servers, list it under that target's nodes in the config file; otherwise use nodes of one lab or target.`
      : `Use nodes of one lab or target.`,
  );
}

/** Connection options for one node: its credentials, the IP pinned, TLS checked against the name. */
function pinned(connection: ConnectionOptions, host: string, ip: string): ConnectionOptions {
  const named = host !== ip && !/^[\d.]+$|:/.test(host);
  const tls = connection.tls && named && connection.tls.servername === undefined ? { ...connection.tls, servername: host } : connection.tls;
  return { ...connection, ...(tls ? { tls } : {}), ip };
}

export class ResolvedAccess implements NodeAccess {
  private readonly bySpelling = new Map<string, NodeGrant>();
  private readonly byKey = new Map<string, NodeGrant>();

  constructor(private readonly policy: AccessPolicy) {}

  get mutate(): boolean {
    return this.policy.mutate;
  }

  /**
   * Adds a node the call names. `owner` pins the owner when the call named a lab or
   * target (the resolver, for that lab's or target's own list); otherwise the node's own
   * claims decide, never a node already in the call. Refuses a node that may not change.
   */
  async name(address: string, owner?: Owner): Promise<NodeGrant> {
    const spelled = formatAddress(parseAddress(address));
    const known = this.lookup(spelled);
    if (known) return known;
    const endpoint = await endpointOf(spelled, this.policy.index);
    const claims = this.policy.index.claimsOf(endpoint.key);
    const chosen = owner ?? primaryClaim(claims)?.owner ?? { kind: "none" };
    const mutable = claims.length ? claims.every((c) => c.mutable) : this.policy.bareMutable;
    if (this.policy.mutate && !mutable) throw refusal(spelled, chosen, claims);
    return this.add(spelled, endpoint, chosen, mutable);
  }

  grant(address: string): NodeGrant {
    const g = this.lookup(formatAddress(parseAddress(address)));
    // A bug, not a user error: an op connected to an address it never admitted.
    if (!g) throw new Error(`${address} was neither named in the call nor admitted as a peer`);
    return g;
  }

  connection(address: string): ConnectionOptions {
    return this.grant(address).connection;
  }

  async admit(peer: string, via: string): Promise<NodeGrant> {
    const reporter = this.grant(via);
    const spelled = formatAddress(parseAddress(peer));
    const known = this.lookup(spelled);
    if (known) return known;
    const endpoint = await endpointOf(spelled, this.policy.index);
    const same = this.byKey.get(endpoint.key);
    if (same) return this.alias(spelled, same);
    const claims = this.policy.index.claimsOf(endpoint.key);
    let owner: Owner;
    let mutable: boolean;
    if (claims.length) {
      owner = primaryClaim(claims)!.owner;
      mutable = claims.every((c) => c.mutable);
    } else if (reporter.owner.kind === "target") {
      owner = reporter.owner;
      mutable = reporter.mutable;
    } else {
      owner = { kind: "none" };
      mutable = this.policy.bareMutable;
    }
    if (this.policy.mutate && !mutable) throw refusal(spelled, owner, claims.length ? claims : [{ owner, mutable }], via);
    return this.add(spelled, endpoint, owner, mutable);
  }

  forward(from: string, to: string, what: string): ConnectionOptions {
    const source = this.grant(from);
    const dest = this.grant(to);
    const given = source.connection;
    const held = dest.connection;
    const secret = given.password !== undefined || given.username !== undefined;
    const same = given.password === held.password && given.username === held.username;
    if (!secret || same || sameOwner(source.owner, dest.owner)) return given;
    return refuseForward(source, dest, what);
  }

  private lookup(spelled: string): NodeGrant | undefined {
    const g = this.bySpelling.get(spelled);
    if (g) return g;
    // A peer spelled as the IP a named node resolved to is that node.
    return this.byKey.get(spelled);
  }

  private alias(spelled: string, g: NodeGrant): NodeGrant {
    this.bySpelling.set(spelled, g);
    return g;
  }

  private add(spelled: string, endpoint: { ip: string; key: string }, owner: Owner, mutable: boolean): NodeGrant {
    const existing = this.byKey.get(endpoint.key);
    if (existing) return this.alias(spelled, existing);
    const zone = this.policy.index.zoneOf(owner, endpoint.key);
    const grant: NodeGrant = {
      address: spelled,
      ip: endpoint.ip,
      key: endpoint.key,
      owner,
      mutable,
      ...(zone !== undefined ? { zone } : {}),
      connection: pinned(this.policy.credentials(owner), parseAddress(spelled).host, endpoint.ip),
    };
    this.bySpelling.set(spelled, grant);
    this.byKey.set(endpoint.key, grant);
    return grant;
  }
}
