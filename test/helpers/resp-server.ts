/**
 * A server that speaks RESP but lies: it answers each command with whatever `answer`
 * returns, so a test can stand in for a broken or hostile peer that no real redis-server
 * can be made to be (e.g. a master listing 1500 replicas). Loopback only; close() drops
 * every client.
 *
 *   const s = await startRespServer((args) => args[0] === "INFO" ? "role:master\r\n" : ok);
 */
import { createServer, type Socket } from "node:net";

export type Resp = string | number | null | Resp[] | { status: string } | { error: string };
export const ok: Resp = { status: "OK" };

function encode(v: Resp): string {
  if (v === null) return "$-1\r\n";
  if (typeof v === "number") return `:${v}\r\n`;
  if (typeof v === "string") return `$${Buffer.byteLength(v)}\r\n${v}\r\n`;
  if (Array.isArray(v)) return `*${v.length}\r\n${v.map(encode).join("")}`;
  return "status" in v ? `+${v.status}\r\n` : `-${v.error}\r\n`;
}

/** Commands complete in buf (arrays of bulk strings, as clients send them), and the bytes left over. */
function parse(buf: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let at = 0;
  for (;;) {
    const head = /^\*(\d+)\r\n/.exec(buf.slice(at));
    if (!head) break;
    let p = at + head[0].length;
    const args: string[] = [];
    for (let i = 0; i < Number(head[1]); i++) {
      const len = /^\$(\d+)\r\n/.exec(buf.slice(p));
      if (!len || buf.length < p + len[0].length + Number(len[1]) + 2) return { commands, rest: buf.slice(at) };
      p += len[0].length;
      args.push(buf.slice(p, p + Number(len[1])));
      p += Number(len[1]) + 2;
    }
    commands.push(args);
    at = p;
  }
  return { commands, rest: buf.slice(at) };
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
      const { commands, rest } = parse(pending + d.toString("latin1"));
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
