/**
 * Connections keyed by address with credentials per address: the resolver gives each
 * node (and each peer it reports) its own ConnectionOptions, so replication and
 * sentinel ops never send one node's password to another.
 */
import { formatAddress, parseAddress } from "../redis/address.js";
import { NodePool, type ConnectionOptions } from "../redis/connection.js";
import type { Redis } from "ioredis";

export type ConnectionFor = (address: string) => ConnectionOptions;

/** Same options for every address (a lab, or a target with one password). */
export const sameFor = (options: ConnectionOptions = {}): ConnectionFor => () => options;

export class NodeAccess {
  private readonly pools = new Map<string, NodePool>();

  constructor(readonly connectionFor: ConnectionFor) {}

  pool(address: string): NodePool {
    const key = formatAddress(parseAddress(address));
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new NodePool(this.connectionFor(key));
      this.pools.set(key, pool);
    }
    return pool;
  }

  get(address: string): Promise<Redis> {
    return this.pool(address).get(address);
  }

  options(address: string): ConnectionOptions {
    return this.connectionFor(formatAddress(parseAddress(address)));
  }

  forget(address: string): void {
    this.pools.get(formatAddress(parseAddress(address)))?.forget(address);
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.close()));
  }
}
