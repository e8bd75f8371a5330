/**
 * What an operation may do with each server it touches: the credentials for that node
 * alone, the IP to connect to (pinned when the call was resolved, so a name cannot move
 * between the policy check and the connection), and whether it may change it. The
 * resolver (src/targets) builds one per tool call; ops ask it per address, and admit
 * every peer they discover before touching it. Nothing else hands out credentials.
 */
import type { ConnectionOptions } from "./connection.js";
import { formatAddress, parseAddress } from "./address.js";

export type Owner = { kind: "lab"; name: string } | { kind: "target"; name: string } | { kind: "none" };

export const describeOwner = (o: Owner): string => (o.kind === "none" ? "no lab or target" : `${o.kind} '${o.name}'`);

export interface NodeGrant {
  /** The address as the call (or the peer that reported it) spelled it, normalized. */
  address: string;
  /** The IP it resolved to, and ip:port, the node's identity. */
  ip: string;
  key: string;
  owner: Owner;
  /** The call may change this node (every owner that lists it allows mutations). */
  mutable: boolean;
  zone?: string;
  /** This node's credentials and nothing else's; `ip` set to the pinned IP. */
  connection: ConnectionOptions;
}

export interface NodeAccess {
  /** True when the call changes servers: then admit() refuses any node that is not mutable. */
  readonly mutate: boolean;
  /** The grant of a node the call named or an op admitted (by its spelling, or ip:port). Throws for any other address. */
  grant(address: string): NodeGrant;
  /** grant(address).connection. */
  connection(address: string): ConnectionOptions;
  /**
   * Admits a peer that `via` (a node already named or admitted) reported in CLUSTER NODES,
   * INFO replication or a Sentinel reply, before the op touches it. The peer gets its own
   * owner's credentials (a target's when its own node reported it); in a mutating call a
   * peer that may not be changed is refused with MutationNotAllowedError. Idempotent.
   */
  admit(peer: string, via: string): Promise<NodeGrant>;
  /**
   * Adds an address the caller gave besides lab / target / nodes (a node to add, a master,
   * sentinels): it gets its own owner's credentials and policy, never those of a node
   * already in the call. Only addresses read from a server's reply go through admit().
   */
  name(address: string): Promise<NodeGrant>;
  /**
   * `from`'s credentials, for the op to hand to the server `to` (masterauth on a replica,
   * a sentinel's auth-pass, MIGRATE's AUTH sent to the source): only when both have one
   * owner, or `to` holds those very credentials already. Otherwise it throws
   * CredentialsNotForwardedError: a target's password never lands on another owner's server.
   * `what` says how it would travel ("as masterauth").
   */
  forward(from: string, to: string, what: string): ConnectionOptions;
}

/**
 * The same connection options for every address, all of them mutable: for callers that
 * own every server they name (tests, benches, the lab's own start-up). Tool handlers and
 * ops never build one; they get their NodeAccess from ctx.targets.resolve().
 */
export function uniformAccess(connection: ConnectionOptions = {}, mutate = false): NodeAccess {
  const grant = (address: string): NodeGrant => {
    const a = parseAddress(address);
    const key = formatAddress(a);
    return { address: key, ip: a.host, key, owner: { kind: "none" }, mutable: true, connection };
  };
  return { mutate, grant, connection: () => connection, admit: async (peer) => grant(peer), name: async (address) => grant(address), forward: () => connection };
}

export function isNodeAccess(x: unknown): x is NodeAccess {
  return typeof (x as NodeAccess | undefined)?.admit === "function" && typeof (x as NodeAccess).grant === "function";
}
