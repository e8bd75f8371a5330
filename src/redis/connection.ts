/**
 * Connections to single Redis nodes (ioredis, no cluster client: ops talk to each node
 * on purpose). Fail fast: no reconnects, no offline queue, no retries, so an op sees a
 * dead node at once instead of stalling. Passwords go to ioredis and nowhere else.
 */
import type { ConnectionOptions as TlsOptions } from "node:tls";
import type { Redis } from "ioredis";
import { AuthError, NotRedisError, PilotError, TimeoutError, UnreachableError } from "../errors.js";
import { formatAddress, parseAddress } from "./address.js";
import { format } from "node:util";
import { redactText } from "../secrets.js";
import { isNodeAccess, uniformAccess, type NodeAccess } from "./node-access.js";
import { limitReplies, ReplyBudget } from "./reply-limit.js";

export interface ConnectionOptions {
  username?: string;
  password?: string;
  tls?: TlsOptions;
  /** @default 2000 */
  connectTimeoutMs?: number;
  /** @default 5000 */
  commandTimeoutMs?: number;
  /** Close the connection when one reply grows past this (src/redis/reply-limit.ts). @default 8 MiB */
  maxReplyBytes?: number;
  /**
   * Connect to this IP instead of looking the address's host name up again: the resolver
   * pins the IP it checked the policy against (src/redis/node-access.ts).
   */
  ip?: string;
}


const AUTH_REPLY = /^(Ready check failed: )?(WRONGPASS|NOAUTH)|invalid username-password/;
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
};

/**
 * Maps a connection or command failure to the error a user can act on; other errors
 * (a reply error such as MOVED or ERR) come back unchanged.
 */
export function toPilotError(address: string, err: unknown, opts: ConnectionOptions = {}): unknown {
  if (err instanceof PilotError || !(err instanceof Error)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (AUTH_REPLY.test(err.message)) return new AuthError(address);
  // redis-parser's "Protocol error, got "H" as reply type byte": reached, but not a Redis server.
  const protocol = /^Protocol error, got (".{1,3}"|\S+) as reply type byte/.exec(err.message);
  if (err.name === "ParserError" || protocol) return new NotRedisError(address, protocol ? JSON.stringify(protocol[1].replace(/^"|"$/g, "")) : "");
  if (code && NETWORK_CODES[code]) return new UnreachableError(address, NETWORK_CODES[code]);
  if (code === "ETIMEDOUT") return new UnreachableError(address, `no connection within ${opts.connectTimeoutMs ?? 2000} ms`);
  if (err.message === "Command timed out") return new TimeoutError(`A reply from ${address}`, opts.commandTimeoutMs ?? 5000);
  if (err.message === "Connection is closed.") return new UnreachableError(address, "the connection closed");
  return err;
}

/**
 * The ioredis client class, loaded on first use, not at start-up: evaluating ioredis
 * costs 40-50 ms, and `redis-pilot mcp` must answer tools/list fast.
 */
export async function loadRedisClient(): Promise<typeof Redis> {
  const [mod, debug] = await Promise.all([import("ioredis"), import("debug")]);
  // DEBUG=ioredis:* prints every command with its arguments (AUTH's password too): redacted by value and by form.
  debug.default.log = (...args: unknown[]) => void process.stderr.write(redactText(format(...args)) + "\n");
  // ioredis is CommonJS: Node exposes the class as a named export, the esbuild bundle as default.
  return mod.Redis ?? (mod as unknown as { default: typeof mod.Redis }).default;
}

export interface ConnectOptions {
  /**
   * Send PING and wait for it (after AUTH, when a password is set), so that a refused
   * password fails here as AuthError. A caller that sends its own first commands at once
   * can skip it and save a round trip per node; it must map their errors with toPilotError.
   * @default true
   */
  ping?: boolean;
}

/** Connects to one node and resolves once it answers (see ConnectOptions.ping). */
export async function connect(address: string, opts: ConnectionOptions = {}, how: ConnectOptions = {}): Promise<Redis> {
  return connectBounded(address, opts, how);
}

async function connectBounded(address: string, opts: ConnectionOptions, how: ConnectOptions, budget?: ReplyBudget): Promise<Redis> {
  const { host, port } = parseAddress(address);
  const RedisClient = await loadRedisClient();
  const client = new RedisClient({
    host: opts.ip ?? host,
    port,
    username: opts.username,
    password: opts.password,
    tls: opts.tls,
    lazyConnect: true,
    connectTimeout: opts.connectTimeoutMs ?? 2000,
    commandTimeout: opts.commandTimeoutMs ?? 5000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    autoResendUnfulfilledCommands: false,
    // CLIENT SETINFO fails on 7.0 and costs two round trips per connection.
    disableClientInfo: true,
    // ioredis's ready check sends INFO and parses all of it (about 0.5 ms per node);
    // the PING below is the check: AUTH is answered first, so a wrong password fails it.
    // A node still loading its data answers LOADING to the commands that follow, at once,
    // instead of the ready check waiting out the load.
    enableReadyCheck: false,
  });
  // ioredis reports the real cause (ECONNREFUSED, WRONGPASS) as an event and rejects
  // connect() with a generic "Connection is closed."; keep the first real cause.
  let firstError: Error | undefined;
  client.on("error", (err: Error) => {
    firstError ??= err;
  });
  limitReplies(client, formatAddress({ host, port }), opts.maxReplyBytes, budget);
  try {
    await client.connect();
    if (how.ping !== false) await client.call("PING");
  } catch (err) {
    // After a refused or failed connect the socket is already closed; disconnect() would
    // then arm ioredis's disconnect timer (connectTimeout) that nothing clears, and keep
    // the process alive that long after the error.
    if (client.status !== "end") client.disconnect();
    throw toPilotError(formatAddress({ host, port }), firstError ?? err, opts);
  }
  return client;
}

/** Connects, runs fn, and always disconnects. */
export async function withNode<T>(address: string, opts: ConnectionOptions, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = await connect(address, opts);
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

/**
 * One live connection per address, reused within an operation: ops and polling loops
 * issue many commands fast, so connection setup must not dominate. A closed connection
 * is replaced on the next get(); a failed connect is not cached.
 */
export class NodePool {
  private readonly clients = new Map<string, Promise<Redis>>();
  /** What the replies in flight on this pool's connections may hold together. */
  readonly budget = new ReplyBudget();
  /** Whose credentials each address gets; readClusterView admits discovered peers through it. */
  readonly access: NodeAccess;

  /**
   * A NodeAccess from ctx.targets.resolve(); plain options (the same for every node) only
   * for callers that own every server (tests, benches). `timeouts` override the access's
   * for this pool (a tool's timeoutMs).
   */
  constructor(access: NodeAccess | ConnectionOptions = {}, private readonly timeouts: Pick<ConnectionOptions, "connectTimeoutMs" | "commandTimeoutMs"> = {}) {
    this.access = isNodeAccess(access) ? access : uniformAccess(access);
  }

  /** The options this pool connects to address with (for error wording: its timeouts). */
  optionsFor(address: string): ConnectionOptions {
    const set = Object.fromEntries(Object.entries(this.timeouts).filter(([, v]) => v !== undefined));
    return { ...this.access.connection(formatAddress(parseAddress(address))), ...set };
  }

  async get(address: string, how: ConnectOptions = {}): Promise<Redis> {
    const key = formatAddress(parseAddress(address));
    const cached = this.clients.get(key);
    if (cached) {
      // A connect in flight is shared; its failure reaches every caller waiting on it.
      const client = await cached;
      if (client.status === "ready") return client;
      if (this.clients.get(key) === cached) this.clients.delete(key);
      client.disconnect();
      return this.get(key, how);
    }
    // Asked per connect, not cached: an address the access never admitted throws here, before any socket.
    const pending = connectBounded(key, this.optionsFor(key), how, this.budget);
    this.clients.set(key, pending);
    pending.catch(() => {
      if (this.clients.get(key) === pending) this.clients.delete(key);
    });
    return pending;
  }

  /** Drops the connection to one address (e.g. after killing that node). */
  forget(address: string): void {
    const key = formatAddress(parseAddress(address));
    const cached = this.clients.get(key);
    this.clients.delete(key);
    cached?.then((c) => c.disconnect(), () => undefined);
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((p) => p.then((c) => c.disconnect(), () => undefined)));
  }
}
