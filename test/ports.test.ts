/**
 * Port range math: a client port is only usable when its cluster bus port (port + 10000)
 * stays below the ephemeral range (32768), or a node can abort on a bus-port collision.
 */
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  BUS_PORT_OFFSET,
  EPHEMERAL_START,
  MAX_CLIENT_PORT,
  MIN_CLIENT_PORT,
  PortAllocator,
  candidates,
  canBind,
  clashes,
  isUsableClientPort,
  nextCandidate,
  searchStart,
} from "../src/lab/ports.js";

describe("port range math", () => {
  it("keeps the highest client port's bus port below the ephemeral range", () => {
    expect(MAX_CLIENT_PORT).toBe(22767);
    expect(MAX_CLIENT_PORT + BUS_PORT_OFFSET).toBeLessThan(EPHEMERAL_START);
    expect(MAX_CLIENT_PORT + 1 + BUS_PORT_OFFSET).toBe(EPHEMERAL_START);
  });

  it.each([
    [6999, false],
    [7000, true],
    [15000, true],
    [22767, true],
    [22768, false],
    [32767, false],
    [7000.5, false],
    [-1, false],
  ])("isUsableClientPort(%s) = %s", (port, usable) => {
    expect(isUsableClientPort(port)).toBe(usable);
  });

  it.each([
    [0, 7000],
    [0.5, 14500],
    [0.999999, 21999],
    [1, 21999],
    [-3, 7000],
  ])("searchStart(%s) = %s", (random, start) => {
    expect(searchStart(random)).toBe(start);
  });

  it.each([
    [7000, 7001],
    [22766, 22767],
    [22767, 7000],
    [30000, 7000],
    [80, 7000],
  ])("nextCandidate(%s) = %s", (port, next) => {
    expect(nextCandidate(port)).toBe(next);
  });

  it("visits every usable port once, wrapping from the top back to the bottom", () => {
    const all = [...candidates(22765)];
    expect(all.slice(0, 4)).toEqual([22765, 22766, 22767, 7000]);
    expect(all.length).toBe(MAX_CLIENT_PORT - MIN_CLIENT_PORT + 1);
    expect(new Set(all).size).toBe(all.length);
    expect(all.every(isUsableClientPort)).toBe(true);
  });

  it.each([
    [9000, [9000], true],
    [19000, [9000], true],
    [9000, [19000], true],
    [9001, [9000], false],
    [9000, [], false],
    [12000, [8000, 22000], true],
  ])("clashes(%s, %j) = %s", (port, given, clash) => {
    expect(clashes(port, new Set(given))).toBe(clash);
  });

  it("starts an unusable start at the bottom of the range", () => {
    expect(candidates(40000).next().value).toBe(7000);
  });
});

describe("probing by binding", () => {
  const held: Server[] = [];
  const hold = (host: string, port: number) =>
    new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once("error", reject);
      s.listen({ host, port, exclusive: true }, () => resolve());
      held.push(s);
    });
  afterEach(async () => {
    await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it("skips a port whose bus port is taken, and never hands out the same port twice", async () => {
    const allocator = new PortAllocator(7000);
    const first = await allocator.next("127.0.9.1");
    await hold("127.0.9.1", first + 1 + BUS_PORT_OFFSET);
    expect(await canBind("127.0.9.1", first + 1 + BUS_PORT_OFFSET)).toBe(false);
    const second = await allocator.next("127.0.9.1");
    expect(second).not.toBe(first);
    expect(second).not.toBe(first + 1);
    expect(second).toBeGreaterThan(first);
  });
});
