import { ValidationError, quoted } from "../errors.js";

export interface Address {
  host: string;
  port: number;
}

/** Parses "host:port" (IPv6 as "[::1]:6379" or "::1:6379"). */
export function parseAddress(text: string): Address {
  const s = text.trim();
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^(.+):(\d+)$/.exec(s);
  if (!m) throw new ValidationError(`${quoted(text)} is not an address of the form host:port.`, "Write each node as HOST:PORT, e.g. 127.0.0.1:7000.");
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ValidationError(`${quoted(text)} has port ${m[2]}, outside 1-65535.`, "Use a port between 1 and 65535.");
  }
  return { host: m[1], port };
}

export function formatAddress(a: Address): string {
  return a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
