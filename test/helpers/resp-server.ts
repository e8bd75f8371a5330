/**
 * A server that speaks RESP but lies: it answers each command with whatever `answer`
 * returns, so a test can stand in for a broken or hostile peer that no real redis-server
 * can be made to be (e.g. a master listing 1500 replicas). Loopback only; close() drops
 * every client.
 *
 *   const s = await startRespServer((args) => args[0] === "INFO" ? "role:master\r\n" : ok);
 */
import { createServer, type Socket } from "node:net";
import { parseCommands } from "./fake-redis.js";

export type Resp = string | number | null | Resp[] | { status: string } | { error: string };
export const ok: Resp = { status: "OK" };

function encode(v: Resp): string {
  if (v === null) return "$-1\r\n";
  if (typeof v === "number") return `:${v}\r\n`;
  if (typeof v === "string") return `$${Buffer.byteLength(v)}\r\n${v}\r\n`;
  if (Array.isArray(v)) return `*${v.length}\r\n${v.map(encode).join("")}`;
  return "status" in v ? `+${v.status}\r\n` : `-${v.error}\r\n`;
}

export interface RespServer {
  address: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startRespServer(answer: (args: string[]) => Resp, host = "127.0.0.1"): Promise<RespServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
    let pending = "";
    s.on("data", (d) => {
      const { commands, rest } = parseCommands(pending + d.toString("latin1"));
      pending = rest;
      for (const c of commands) s.write(encode(answer([c[0].toUpperCase(), ...c.slice(1)])));
    });
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return {
    address: `${host}:${(server.address() as { port: number }).port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
