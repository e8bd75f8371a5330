/**
 * Probes for fault tests: can a TCP connection be made from one loopback address to
 * another (a partition drops it), and does a node answer PING (a paused node accepts
 * the connection but says nothing). Raw sockets, so no client retries blur the answer.
 */
import { execFile } from "node:child_process";
import { connect } from "node:net";
import { promisify } from "node:util";
import { findIptables } from "../../src/lab/faults/iptables.js";

const run = promisify(execFile);

/** Resolves true when a TCP connection from `from` (or the default source) to host:port completes in time. */
export function canConnect(host: string, port: number, from?: string, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, ...(from ? { localAddress: from } : {}) });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** "connected": TCP accepted but no reply in time; "pong": it answered; "refused": nothing listens. */
export function pingOutcome(host: string, port: number, timeoutMs = 1000): Promise<"pong" | "connected" | "refused"> {
  return new Promise((resolve) => {
    let connected = false;
    const socket = connect({ host, port });
    const done = (r: "pong" | "connected" | "refused") => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done(connected ? "connected" : "refused"), timeoutMs);
    socket.once("connect", () => {
      connected = true;
      socket.write("PING\r\n");
    });
    socket.on("data", (d) => done(d.toString().startsWith("+PONG") ? "pong" : "connected"));
    socket.once("error", () => done("refused"));
  });
}

/** The whole filter table as `iptables -S` prints it (root only). */
export async function iptablesRules(): Promise<string> {
  return (await run(findIptables(), ["-w", "-S"])).stdout;
}

/** Why partition tests cannot run here, or undefined when they can (root and iptables). */
export function partitionSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "partitions need root for iptables";
  try {
    findIptables();
    return undefined;
  } catch {
    return "iptables is not installed (npm run setup installs it as root)";
  }
}
