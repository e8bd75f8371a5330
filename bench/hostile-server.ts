/**
 * A hostile "Redis" for the reply-limit test and bench: whatever it is sent, it answers
 * `$99999999999` (a bulk string of about 93 GiB) and then streams bytes as fast as the
 * client reads them, until the client hangs up. And peakRss(pid): a process's memory
 * high-water mark (VmHWM), read from /proc while it runs.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";

export interface HostileServer {
  address: string;
  /** Bytes streamed to all clients so far. */
  sent(): number;
  close(): Promise<void>;
}

export async function startHostileServer(host = "127.0.0.1"): Promise<HostileServer> {
  const chunk = Buffer.alloc(64 * 1024, "x");
  let sent = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
    s.once("data", () => {
      s.write("$99999999999\r\n");
      const pump = () => {
        while (!s.destroyed && s.write(chunk)) sent += chunk.length;
        if (!s.destroyed) s.once("drain", pump);
      };
      pump();
    });
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return {
    address: `${host}:${(server.address() as { port: number }).port}`,
    sent: () => sent,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** VmHWM of a live process, in bytes (undefined once it is gone). */
export function peakRss(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Polls peakRss every 10 ms until the process exits; resolves with the last value read. */
export function watchPeakRss(pid: number, exited: Promise<unknown>): Promise<number> {
  let last = 0;
  const timer = setInterval(() => (last = peakRss(pid) ?? last), 10);
  return exited.then(() => {
    clearInterval(timer);
    return last;
  });
}
