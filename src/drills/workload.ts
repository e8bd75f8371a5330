/**
 * Workload clients for drills: writers that SET a fresh key per write and log every
 * outcome, readers that GET the latest acknowledged key, and the final read. They talk
 * through ioredis built from ClientSettings (client-settings.ts), for standalone,
 * Sentinel and Cluster deployments, exactly as an application would.
 */
import type { Cluster, ClusterOptions, Redis, RedisOptions } from "ioredis";
import { setTimeout as sleep } from "node:timers/promises";
import { formatAddress } from "../redis/address.js";
import { errorMessage, UnreachableError } from "../errors.js";
import { ioredisClusterOptions, ioredisOptions, type ClientAuth, type ClientSettings } from "./client-settings.js";
import type { HistoryRecorder } from "./history.js";
import { bindingOptions } from "./bound-connector.js";

export type DrillClient = Redis | Cluster;

async function loadIoredis(): Promise<typeof import("ioredis")> {
  const mod = await import("ioredis");
  // ioredis is CommonJS: Node exposes named exports, the esbuild bundle a default.
  return (mod.Redis ? mod : (mod as unknown as { default: typeof import("ioredis") }).default) as typeof import("ioredis");
}

function withRedisOptions(o: ClusterOptions, extra: Partial<RedisOptions>): ClusterOptions {
  return { ...o, redisOptions: { ...o.redisOptions, ...extra } };
}

/** A client for the deployment, built from the settings; resolves once it is ready. */
export async function openClient(settings: ClientSettings, auth: ClientAuth = {}): Promise<DrillClient> {
  const io = await loadIoredis();
  replyErrorClass ??= io.ReplyError as unknown as new (...args: never[]) => Error;
  const d = settings.deployment;
  // A client placed inside a lab zone connects from that zone's address (partition drills).
  const bound = bindingOptions(io, settings.localAddress, d.kind === "sentinel");
  const client: DrillClient =
    d.kind === "cluster"
      ? new io.Cluster(
          d.nodes.map((n) => ({ host: n.slice(0, n.lastIndexOf(":")), port: Number(n.slice(n.lastIndexOf(":") + 1)) })),
          withRedisOptions(ioredisClusterOptions(settings, auth), bound),
        )
      : new io.Redis({ ...ioredisOptions(settings, auth), ...bound, lazyConnect: true });
  // Errors during a drill are expected (that is the drill); the history records them per operation.
  let lastError: unknown;
  client.on("error", (err) => void (lastError = err));
  if (d.kind === "sentinel" && settings.restartOnEnd) restartOnEnd(client as Redis);
  try {
    if (d.kind !== "cluster") await (client as Redis).connect();
    else
      await new Promise<void>((resolve, reject) => {
        client.once("ready", () => resolve());
        client.once("end", () => reject(new Error("cluster client ended before ready")));
      });
  } catch (err) {
    // Left alone, a client that never opened retries for ever (a referenced timer in a
    // long-running MCP server): stop it, and say where and why it failed.
    closing.add(client);
    client.disconnect();
    throw new UnreachableError(deploymentAddress(d), errorMessage(lastError ?? err));
  }
  return client;
}

function deploymentAddress(d: ClientSettings["deployment"]): string {
  if (d.kind === "standalone") return d.address;
  if (d.kind === "cluster") return d.nodes.join(", ");
  return `the sentinels ${d.sentinels.join(", ")} (master name ${d.name})`;
}

/**
 * Opens one client per spec. If one fails, closes those already open before throwing,
 * so a failed start leaves no connection behind.
 */
export async function openClients(specs: { settings: ClientSettings; auth?: ClientAuth }[]): Promise<DrillClient[]> {
  const opened = await Promise.allSettled(specs.map((s) => openClient(s.settings, s.auth)));
  const failed = opened.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (!failed) return opened.map((o) => (o as PromiseFulfilledResult<DrillClient>).value);
  await Promise.all(opened.flatMap((o) => (o.status === "fulfilled" ? [closeClient(o.value)] : [])));
  throw failed.reason;
}

const closing = new WeakSet<object>();

/**
 * ioredis 5 with failoverDetector: a +switch-master that arrives while the client is
 * already reconnecting (its master crashed) aborts that connect and ends the client for
 * good ("Connection is closed."). Start it again unless we are the ones closing it.
 */
function restartOnEnd(client: Redis): void {
  client.on("end", () => {
    if (closing.has(client)) return;
    setTimeout(() => void client.connect().catch(() => undefined), 20).unref();
  });
}

/** Closes a drill client for good (no restart), letting replies in flight finish. */
export async function closeClient(client: DrillClient): Promise<void> {
  closing.add(client);
  if ("refreshSlotsCache" in client) await slotRefreshDone(client);
  await client.quit().catch(() => undefined);
  client.disconnect();
}

/**
 * ioredis re-arms slotsRefreshInterval's timer when a refresh completes, even one that
 * completes after quit cleared the timer: that client would refresh for ever. Wait for a
 * refresh in flight (bounded by slotsRefreshTimeout per node); quit, called in the same
 * turn as this resolves, then clears the re-armed timer for good.
 */
function slotRefreshDone(cluster: Cluster): Promise<void> {
  if (!(cluster as unknown as { isRefreshing?: boolean }).isRefreshing) return Promise.resolve();
  return new Promise((resolve) => cluster.refreshSlotsCache(() => resolve()));
}

/** The node a single-connection client talks to now, as host:port. */
export function servingNode(client: DrillClient): string | undefined {
  const s = (client as Redis).stream;
  if (!s?.remoteAddress || !s.remotePort) return undefined;
  return formatAddress({ host: s.remoteAddress.replace(/^::ffff:/, ""), port: s.remotePort });
}

/**
 * A refusal by the server (READONLY, NOREPLICAS, MASTERDOWN, ...) means the write did not
 * happen; anything else (timeout, connection lost, retries exhausted) leaves it unknown.
 */
export function isDefiniteFailure(err: unknown): boolean {
  // By class, not by err.name: the minified bundle renames redis-errors' classes, and their
  // name getter returns the new one (every NOREPLICAS counted as unknown in MCP and CLI runs).
  return replyErrorClass !== undefined && err instanceof replyErrorClass;
}

/** ioredis' ReplyError (redis-errors), set once ioredis is loaded: every client opens through openClient first. */
let replyErrorClass: (new (...args: never[]) => Error) | undefined;

/** Latest acknowledged write, shared by writers and readers. */
export class AckedState {
  latest?: { key: string; value: number };
  readonly keys: string[] = [];
}

export interface WriterOptions {
  process: number;
  /** Key prefix; each write SETs `${prefix}:${n}` to n. */
  prefix: string;
  /** Pause between writes. @default 1 */
  intervalMs?: number;
  /** After each SET, WAIT for this many replicas (in the same pipeline); fewer acks -> unknown outcome. */
  wait?: { replicas: number; timeoutMs: number };
  signal: AbortSignal;
  /** First value; values are unique across writers when each gets its own range. */
  start?: number;
}

export async function runWriter(client: DrillClient, rec: HistoryRecorder, state: AckedState, o: WriterOptions): Promise<void> {
  let n = o.start ?? 1;
  while (!o.signal.aborted) {
    const key = `${o.prefix}:${n}`;
    const value = n++;
    state.keys.push(key);
    const id = rec.invoke(o.process, "write", { key, value });
    try {
      if (o.wait) {
        const replies = await client.pipeline().set(key, String(value)).wait(o.wait.replicas, o.wait.timeoutMs).exec();
        const [setErr] = replies?.[0] ?? [new Error("no reply")];
        if (setErr) throw setErr;
        const acks = Number(replies?.[1]?.[1] ?? 0);
        if (acks < o.wait.replicas) {
          rec.info(id, `WAIT saw ${acks} of ${o.wait.replicas} replicas`, servingNode(client));
          continue;
        }
      } else {
        await client.set(key, String(value));
      }
      rec.ok(id, { node: servingNode(client) });
      state.latest = { key, value };
    } catch (err) {
      if (isDefiniteFailure(err)) rec.fail(id, errorMessage(err), servingNode(client));
      else rec.info(id, errorMessage(err), servingNode(client));
    }
    await pause(o.intervalMs ?? 1);
  }
}

export interface ReaderOptions {
  process: number;
  /** Pause between reads. @default 1 */
  intervalMs?: number;
  signal: AbortSignal;
}

/** Reads the latest acknowledged key over and over; each read records the node that served it. */
export async function runReader(client: DrillClient, rec: HistoryRecorder, state: AckedState, o: ReaderOptions): Promise<void> {
  while (!o.signal.aborted) {
    const target = state.latest;
    if (!target) {
      await pause(o.intervalMs ?? 1);
      continue;
    }
    const id = rec.invoke(o.process, "read", { key: target.key });
    try {
      const v = await client.get(target.key);
      rec.ok(id, { value: v === null ? null : Number(v), node: servingNode(client) });
    } catch (err) {
      if (isDefiniteFailure(err)) rec.fail(id, errorMessage(err), servingNode(client));
      else rec.info(id, errorMessage(err), servingNode(client));
    }
    await pause(o.intervalMs ?? 1);
  }
}

/** Reads every written key back (MGET in chunks; per key in a cluster) as the history's final read. */
export async function finalRead(client: DrillClient, rec: HistoryRecorder, keys: string[], process = 1000): Promise<void> {
  const id = rec.invoke(process, "final-read");
  try {
    const state: Record<string, number | null> = {};
    const isCluster = client.isCluster;
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      // Keys of one MGET must share a slot in a cluster: there, one GET per key.
      const values = isCluster ? await Promise.all(chunk.map((k) => client.get(k))) : await client.mget(chunk);
      chunk.forEach((k, j) => (state[k] = values[j] === null ? null : Number(values[j])));
    }
    rec.ok(id, { value: state, node: servingNode(client) });
  } catch (err) {
    rec.info(id, errorMessage(err));
  }
}

/** ioredis resolves a command's promise in a microtask; sleeping 0 ms still yields to I/O. */
function pause(ms: number): Promise<unknown> {
  return ms > 0 ? sleep(ms) : new Promise((r) => setImmediate(r));
}
