/**
 * ioredis connectors that connect from a chosen local address. A partition drill puts a
 * client inside a zone (127.0.Z.x): its packets then carry that zone's source address,
 * so the lab's iptables cuts hold for it exactly as for the nodes of that zone. ioredis
 * passes no localAddress to net.connect itself; its `Connector` option is the seam.
 * Built from the ioredis module the workload loaded, so nothing here loads ioredis early.
 */
import { createConnection } from "node:net";
import type { RedisOptions } from "ioredis";
import type { ErrorEmitter } from "ioredis/built/connectors/AbstractConnector.js";
import type { NetStream } from "ioredis/built/types.js";

type Ioredis = typeof import("ioredis");
type SentinelConnectorPrivate = { connectToSentinel(endpoint: unknown, options?: object): unknown };

interface BoundOptions {
  host?: string;
  port?: number;
  localAddress: string;
  disconnectTimeout?: number;
}

function connectorClasses(io: Ioredis) {
  /** One TCP connection to host:port from localAddress (standalone and cluster nodes). */
  class BoundConnector extends io.AbstractConnector {
    constructor(private readonly options: BoundOptions) {
      super(options.disconnectTimeout ?? 2000);
    }

    connect(_: ErrorEmitter): Promise<NetStream> {
      this.connecting = true;
      const { host, port, localAddress } = this.options;
      // As ioredis's own connector: create the socket on the next tick, unless closed meanwhile.
      return new Promise((resolve, reject) => {
        process.nextTick(() => {
          if (!this.connecting) return reject(new Error("Connection is closed."));
          this.stream = createConnection({ host, port: port ?? 6379, localAddress });
          this.stream.once("error", (err) => {
            this.firstError = err;
          });
          resolve(this.stream);
        });
      });
    }
  }

  /**
   * Sentinel-managed connections from localAddress: sentinel queries and the failover
   * detector's subscriptions through BoundConnector; the master connection through the
   * natMap in the options (ioredis hands sentinelNatResolve's result to net.connect).
   */
  class BoundSentinelConnector extends io.SentinelConnector {
    constructor(options: ConstructorParameters<Ioredis["SentinelConnector"]>[0] & { localAddress: string }) {
      super(options);
      // connectToSentinel is private in ioredis's typings; its options argument is spread last.
      const original = (io.SentinelConnector.prototype as unknown as SentinelConnectorPrivate).connectToSentinel;
      (this as unknown as SentinelConnectorPrivate).connectToSentinel = (endpoint, extra) =>
        original.call(this, endpoint, { ...extra, Connector: BoundConnector, localAddress: options.localAddress });
    }
  }
  return { BoundConnector, BoundSentinelConnector };
}

const cache = new WeakMap<Ioredis, ReturnType<typeof connectorClasses>>();

/** natMap that keeps every address and adds the local address to it. */
export function bindingNatMap(localAddress: string): (key: string) => { host: string; port: number; localAddress: string } {
  return (key) => {
    const i = key.lastIndexOf(":");
    return { host: key.slice(0, i), port: Number(key.slice(i + 1)), localAddress };
  };
}

/** Options to merge into a client's RedisOptions (or a cluster's redisOptions) so it connects from localAddress. */
export function bindingOptions(io: Ioredis, localAddress: string | undefined, sentinel: boolean): Partial<RedisOptions> {
  if (!localAddress) return {};
  let classes = cache.get(io);
  if (!classes) cache.set(io, (classes = connectorClasses(io)));
  const extra = {
    localAddress,
    Connector: sentinel ? classes.BoundSentinelConnector : classes.BoundConnector,
    ...(sentinel ? { natMap: bindingNatMap(localAddress) } : {}),
  };
  // ioredis's typings know neither the localAddress option nor connectors of ours.
  return extra as unknown as Partial<RedisOptions>;
}
