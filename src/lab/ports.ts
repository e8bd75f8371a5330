/**
 * Port allocation for lab nodes. A cluster node also listens on port + 10000 (the
 * cluster bus), and that port must stay below the kernel's ephemeral range (32768 on
 * Linux): a bus port inside it can collide with an outgoing client socket and the node
 * aborts. Ports are found by binding, never assumed; each lab starts its search at a
 * random offset so parallel labs (and parallel test files) rarely probe the same ports.
 */
import { createServer } from "node:net";
import { LabError } from "../errors.js";
import { callRef, toolRef } from "../registry/words.js";

export const BUS_PORT_OFFSET = 10000;
/** First port of the Linux ephemeral range (net.ipv4.ip_local_port_range). */
export const EPHEMERAL_START = 32768;
/** Lowest client port we hand out: clear of well-known and common dev ports. */
export const MIN_CLIENT_PORT = 7000;
/** Highest client port whose bus port is still below the ephemeral range: 22767. */
export const MAX_CLIENT_PORT = EPHEMERAL_START - BUS_PORT_OFFSET - 1;
/** Search starts fall in [MIN_CLIENT_PORT, SEARCH_START_END), leaving room above for a lab's run of ports. */
export const SEARCH_START_END = 22000;

/** True when port and its bus port are both inside the range we allow. */
export function isUsableClientPort(port: number): boolean {
  return Number.isInteger(port) && port >= MIN_CLIENT_PORT && port <= MAX_CLIENT_PORT;
}

/** Maps a random number in [0, 1) to a search start in [MIN_CLIENT_PORT, SEARCH_START_END). */
export function searchStart(random: number): number {
  const r = Math.min(Math.max(random, 0), 1 - Number.EPSILON);
  return MIN_CLIENT_PORT + Math.floor(r * (SEARCH_START_END - MIN_CLIENT_PORT));
}

/** The port after `port` in the search order, wrapping from MAX_CLIENT_PORT back to MIN_CLIENT_PORT. */
export function nextCandidate(port: number): number {
  return port >= MAX_CLIENT_PORT || port < MIN_CLIENT_PORT ? MIN_CLIENT_PORT : port + 1;
}

/** Every usable port once, starting at `start` and wrapping around. */
export function* candidates(start: number): Generator<number> {
  const total = MAX_CLIENT_PORT - MIN_CLIENT_PORT + 1;
  let port = isUsableClientPort(start) ? start : MIN_CLIENT_PORT;
  for (let i = 0; i < total; i++) {
    yield port;
    port = nextCandidate(port);
  }
}

/**
 * True when `port` cannot join ports already given to a lab: the same port, or one
 * whose client or bus port lands on another node's bus or client port.
 */
export function clashes(port: number, given: ReadonlySet<number>): boolean {
  return given.has(port) || given.has(port + BUS_PORT_OFFSET) || given.has(port - BUS_PORT_OFFSET);
}

/** Resolves true when host:port could be bound right now (and releases it at once). */
export function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** True when both the client port and its bus port are free on host. */
export async function isPortPairFree(host: string, port: number): Promise<boolean> {
  return (await canBind(host, port)) && (await canBind(host, port + BUS_PORT_OFFSET));
}

/**
 * Hands out distinct free ports for one lab. Probing is only a hint (another process can
 * take the port before redis-server binds it), so callers retry a node that fails to bind
 * by asking for another port.
 */
export class PortAllocator {
  private readonly search: Generator<number>;
  private readonly given = new Set<number>();

  constructor(start: number = searchStart(Math.random())) {
    this.search = candidates(start);
  }

  async next(host: string): Promise<number> {
    for (let step = this.search.next(); !step.done; step = this.search.next()) {
      const port = step.value;
      if (clashes(port, this.given)) continue;
      if (await isPortPairFree(host, port)) {
        this.given.add(port);
        return port;
      }
    }
    throw new LabError(
      `No free port pair (port and port + ${BUS_PORT_OFFSET}) between ${MIN_CLIENT_PORT} and ${MAX_CLIENT_PORT} on ${host}.`,
      `Stop labs you no longer need (list them with ${toolRef("lab_list")}, stop one with ${callRef("lab_down", { name: "NAME" })}) and retry.`,
    );
  }
}

/** One free port pair on host (e.g. for a test's stand-alone redis-server). */
export function findFreePort(host = "127.0.0.1"): Promise<number> {
  return new PortAllocator().next(host);
}
