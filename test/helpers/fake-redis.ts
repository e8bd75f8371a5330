/**
 * A listener that speaks just enough RESP to pass for a Redis server, and logs every
 * command it receives: the "caller-chosen socket" of the security tests. It answers
 * from `answer` (a command in, a RESP value out), so a test can make it a master, a
 * sentinel or a hostile node that lists thousands of peers.
 *
 *   const fake = await startFakeRedis((cmd) => (cmd[0] === "INFO" ? "role:master\r\n" : "OK"));
 *   ...; expect(fake.heard()).not.toContain(PASSWORD); await fake.close();
 */
import { createServer, type Server, type Socket } from "node:net";

export type Resp = string | number | null | Resp[] | Error;
export type Answer = (command: string[]) => Resp | undefined;

export interface FakeRedis {
  address: string;
  port: number;
  /** Every byte received so far, as latin1 text (a password shows as itself). */
  heard(): string;
  /** The commands parsed so far, upper-cased command names. */
  commands(): string[][];
  close(): Promise<void>;
}

export function encode(v: Resp): string {
  if (v === null) return "$-1\r\n";
  if (v instanceof Error) return `-${v.message}\r\n`;
  if (typeof v === "number") return `:${v}\r\n`;
  if (Array.isArray(v)) return `*${v.length}\r\n${v.map(encode).join("")}`;
  return `$${Buffer.byteLength(v)}\r\n${v}\r\n`;
}

/** Parses RESP arrays of bulk strings (what clients send); returns the commands and the unread rest. */
export function parseCommands(buf: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let at = 0;
  for (;;) {
    const head = /^\*(\d+)\r\n/.exec(buf.slice(at));
    if (!head) break;
    let p = at + head[0].length;
    const args: string[] = [];
    let complete = true;
    for (let i = 0; i < Number(head[1]); i++) {
      const len = /^\$(\d+)\r\n/.exec(buf.slice(p));
      if (!len || buf.length < p + len[0].length + Number(len[1]) + 2) {
        complete = false;
        break;
      }
      p += len[0].length;
      args.push(buf.slice(p, p + Number(len[1])));
      p += Number(len[1]) + 2;
    }
    if (!complete) break;
    commands.push(args);
    at = p;
  }
  return { commands, rest: buf.slice(at) };
}

/** Default answers: AUTH/PING/CONFIG SET/anything else OK, INFO a master with no replicas, CONFIG GET nothing. */
const defaults: Answer = (cmd) => {
  const name = cmd[0]?.toUpperCase();
  if (name === "PING") return "PONG";
  if (name === "INFO") return "# Server\r\nredis_version:7.0.15\r\nrun_id:fakefakefakefakefakefakefakefakefakefake\r\nredis_mode:standalone\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_repl_offset:0\r\n";
  if (name === "CONFIG" && cmd[1]?.toUpperCase() === "GET") return [];
  if (name === "DBSIZE") return 0;
  return "OK";
};

export async function startFakeRedis(answer: Answer = () => undefined, host = "127.0.0.1"): Promise<FakeRedis> {
  let heard = "";
  const commands: string[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    // As redis-server does: no Nagle delay between the replies of a pipeline.
    s.setNoDelay(true);
    let buf = "";
    s.on("data", (d) => {
      const text = d.toString("latin1");
      heard += text;
      const parsed = parseCommands(buf + text);
      buf = parsed.rest;
      for (const cmd of parsed.commands) {
        commands.push([cmd[0]?.toUpperCase() ?? "", ...cmd.slice(1)]);
        const v = answer(cmd) ?? defaults(cmd);
        if (v !== undefined && s.writable) s.write(encode(v as Resp), "latin1");
      }
    });
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    address: `${host}:${port}`,
    port,
    heard: () => heard,
    commands: () => commands,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
