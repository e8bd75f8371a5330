/**
 * The client settings a deployment should use, as data: the sentinel_client_settings
 * tool prints them as code, and the drills build their ioredis clients from the very
 * same object (ioredisOptions), so what is shown is what was measured.
 */
import type { ClusterOptions, RedisOptions } from "ioredis";
import { parseAddress } from "../redis/address.js";

export type Deployment =
  /** One master at a fixed address (no failover handling possible in the client). */
  | { kind: "standalone"; address: string }
  /** A master found through Sentinel by name. */
  | { kind: "sentinel"; sentinels: string[]; name: string }
  /** A Redis Cluster from seed nodes. */
  | { kind: "cluster"; nodes: string[] };

export interface ClientSettings {
  deployment: Deployment;
  /** "master" for writes; "slave" to read from a replica Sentinel names. @default "master" */
  role: "master" | "slave";
  /**
   * Subscribe to +switch-master on the sentinels and reconnect at once on a failover,
   * instead of waiting for the old master's connection to fail. @default true
   */
  failoverDetector: boolean;
  /** Reconnect and resend when a node answers READONLY (it was demoted under us). @default true */
  reconnectOnReadonly: boolean;
  /** Retry delay: attempt * stepMs, capped at maxMs; the first retry comes soon, so a switchover costs little. @default { stepMs: 20, maxMs: 500 } */
  retry: { stepMs: number; maxMs: number };
  /** Fail a command that got no reply in this long (its outcome is then unknown). @default 1000 */
  commandTimeoutMs: number;
  /** Retries of one command across reconnects before it fails. @default 20 */
  maxRetriesPerRequest: number;
  /**
   * Sentinel only: start the client again when it ends by itself. ioredis 5's failoverDetector can end
   * it for good when +switch-master arrives while it is already reconnecting after a crash. @default true
   */
  restartOnEnd: boolean;
  /** Cluster only: where reads go ("master", "slave", "all"). @default "master" */
  scaleReads: "master" | "slave" | "all";
  /**
   * Cluster only: re-read the slot map this often. ioredis does not by default; then a
   * client whose master stops answering (frozen, cut off) learns of its successor only
   * from a MOVED or a closed connection, which a dropped link never gives.
   * @default unset (ioredis: no periodic refresh)
   */
  slotsRefreshIntervalMs?: number;
  /**
   * Drills only: connect from this address (e.g. 127.0.2.250), so the client sits inside a
   * lab zone and a partition cuts it off like that zone's nodes (src/drills/bound-connector.ts).
   * @default unset (the OS picks the source address)
   */
  localAddress?: string;
}

export const DEFAULT_SETTINGS: Omit<ClientSettings, "deployment"> = {
  role: "master",
  failoverDetector: true,
  reconnectOnReadonly: true,
  retry: { stepMs: 20, maxMs: 500 },
  commandTimeoutMs: 1000,
  maxRetriesPerRequest: 20,
  restartOnEnd: true,
  scaleReads: "master",
};

export function clientSettings(deployment: Deployment, overrides: Partial<Omit<ClientSettings, "deployment">> = {}): ClientSettings {
  return { ...DEFAULT_SETTINGS, ...overrides, deployment };
}

const hostPort = (a: string) => parseAddress(a);

/** Credentials come from the caller at run time, never from the settings (they are printed). */
export interface ClientAuth {
  username?: string;
  password?: string;
  /** Sentinels with requirepass. */
  sentinelPassword?: string;
}

/** ioredis options for a single connection (standalone or Sentinel-managed). */
export function ioredisOptions(s: ClientSettings, auth: ClientAuth = {}): RedisOptions {
  const common: RedisOptions = {
    username: auth.username,
    password: auth.password,
    retryStrategy: (times: number) => Math.min(times * s.retry.stepMs, s.retry.maxMs),
    commandTimeout: s.commandTimeoutMs,
    maxRetriesPerRequest: s.maxRetriesPerRequest,
    // The ready check (INFO) is also ioredis's role check: a node that is not the role asked for is dropped.
    enableReadyCheck: true,
    reconnectOnError: s.reconnectOnReadonly ? (err: Error) => (err.message.startsWith("READONLY") ? 2 : false) : undefined,
    disableClientInfo: true,
  };
  const d = s.deployment;
  if (d.kind === "standalone") return { ...common, ...hostPort(d.address) };
  if (d.kind === "sentinel") {
    return {
      ...common,
      sentinels: d.sentinels.map(hostPort),
      name: d.name,
      role: s.role,
      failoverDetector: s.failoverDetector,
      sentinelPassword: auth.sentinelPassword,
      sentinelRetryStrategy: (times: number) => Math.min(times * s.retry.stepMs, s.retry.maxMs),
    };
  }
  throw new Error("ioredisOptions: a cluster deployment takes ioredisClusterOptions");
}

export function ioredisClusterOptions(s: ClientSettings, auth: ClientAuth = {}): ClusterOptions {
  const { retryStrategy: _r, ...redisOptions } = ioredisOptions({ ...s, deployment: { kind: "standalone", address: "127.0.0.1:1" } }, auth);
  delete redisOptions.host;
  delete redisOptions.port;
  return {
    scaleReads: s.scaleReads,
    clusterRetryStrategy: (times: number) => Math.min(times * s.retry.stepMs, s.retry.maxMs),
    ...(s.slotsRefreshIntervalMs ? { slotsRefreshInterval: s.slotsRefreshIntervalMs } : {}),
    redisOptions,
  };
}

/** The settings as ioredis code an application can paste (password from the environment). */
export function ioredisCode(s: ClientSettings): string {
  const d = s.deployment;
  const lines: string[] = ['import Redis from "ioredis";', ""];
  const retry = `(times) => Math.min(times * ${s.retry.stepMs}, ${s.retry.maxMs})`;
  const shared = [
    "  password: process.env.REDIS_PASSWORD,",
    `  retryStrategy: ${retry},`,
    `  commandTimeout: ${s.commandTimeoutMs}, // no reply by then: the outcome is unknown, not failed`,
    `  maxRetriesPerRequest: ${s.maxRetriesPerRequest},`,
    "  enableReadyCheck: true, // the role check: a node that is no longer what we asked for is dropped",
    ...(s.reconnectOnReadonly ? ['  reconnectOnError: (err) => (err.message.startsWith("READONLY") ? 2 : false), // demoted under us: reconnect, resend'] : []),
  ];
  if (d.kind === "cluster") {
    lines.push(
      `const cluster = new Redis.Cluster(${JSON.stringify(d.nodes.map(hostPort))}, {`,
      `  scaleReads: "${s.scaleReads}",${s.scaleReads === "master" ? "" : " // replica reads may be stale by the replication lag"}`,
      `  clusterRetryStrategy: ${retry},`,
      "  redisOptions: {",
      ...shared.map((l) => `  ${l}`),
      "  },",
      "});",
    );
  } else if (d.kind === "sentinel") {
    lines.push(
      "const redis = new Redis({",
      `  sentinels: ${JSON.stringify(d.sentinels.map(hostPort))},`,
      `  name: "${d.name}",`,
      `  role: "${s.role}",${s.role === "slave" ? " // reads from a replica: stale by the lag" : ""}`,
      `  failoverDetector: ${s.failoverDetector}, // reconnect on +switch-master instead of waiting for the old master to fail`,
      "  sentinelPassword: process.env.REDIS_SENTINEL_PASSWORD,",
      `  sentinelRetryStrategy: ${retry},`,
      ...shared,
      "});",
      ...(s.restartOnEnd
        ? [
            "// ioredis 5: with failoverDetector, a +switch-master arriving while the client is already reconnecting",
            "// (the master crashed) ends it for good (\"Connection is closed.\"). Start it again unless you closed it:",
            "let closing = false; // set to true before redis.quit()",
            "redis.on(\"end\", () => { if (!closing) setTimeout(() => redis.connect().catch(() => {}), 20); });",
          ]
        : []),
    );
  } else {
    const { host, port } = hostPort(d.address);
    lines.push("const redis = new Redis({", `  host: "${host}",`, `  port: ${port},`, ...shared, "});");
  }
  return lines.join("\n");
}

/** The same advice for other clients, one sentence each. */
export function otherClients(d: Deployment): { client: string; advice: string }[] {
  if (d.kind === "sentinel") {
    return [
      { client: "redis-py", advice: `Use redis.sentinel.Sentinel([(host, port), ...], socket_timeout=1).master_for("${d.name}", ...) for writes and slave_for(...) for reads; it asks the sentinels again after a connection error and on READONLY.` },
      { client: "Jedis", advice: `Use JedisSentinelPool("${d.name}", Set.of("host:port", ...), poolConfig, password); it subscribes to +switch-master and swaps the pool's master on a failover.` },
      { client: "go-redis", advice: `Use redis.NewFailoverClient(&redis.FailoverOptions{MasterName: "${d.name}", SentinelAddrs: [...]}) (or NewFailoverClusterClient with RouteRandomly for replica reads); it watches +switch-master.` },
    ];
  }
  if (d.kind === "cluster") {
    return [
      { client: "redis-py", advice: "Use redis.cluster.RedisCluster(startup_nodes=[...], read_from_replicas=True only if stale reads are acceptable); it follows MOVED/ASK and refreshes the slot map." },
      { client: "Jedis", advice: "Use JedisCluster(Set.of(new HostAndPort(...)), timeout, maxAttempts, poolConfig); it refreshes the slot map on MOVED." },
      { client: "go-redis", advice: "Use redis.NewClusterClient(&redis.ClusterOptions{Addrs: [...], ReadOnly: true, RouteByLatency: true} for replica reads); it follows MOVED/ASK." },
    ];
  }
  return [
    { client: "redis-py", advice: "redis.Redis(host=..., port=..., socket_timeout=1, retry=Retry(ExponentialBackoff(), 3)); a fixed address survives no failover: put Sentinel in front for that." },
    { client: "Jedis", advice: "JedisPooled(host, port) with a timeout; a fixed address survives no failover: use JedisSentinelPool with Sentinel." },
    { client: "go-redis", advice: "redis.NewClient(&redis.Options{Addr: ..., ReadTimeout: time.Second, MaxRetries: 3}); a fixed address survives no failover: use NewFailoverClient with Sentinel." },
  ];
}
