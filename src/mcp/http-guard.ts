/**
 * The checks every HTTP request passes before it reaches MCP, as pure functions:
 * DNS-rebinding protection (the Host must be one we serve, a browser Origin must be
 * loopback) and the bearer token, compared in constant time.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { quoted } from "../errors.js";
import { isLoopback } from "../redis/address.js";

export interface GuardPolicy {
  /** Host header values we answer to, lower-case "host:port". */
  allowedHosts: ReadonlySet<string>;
  token: string;
}

export interface GuardHeaders {
  host?: string;
  origin?: string;
  authorization?: string;
}

export interface Refusal {
  status: 401 | 403;
  message: string;
}

const hostPort = (host: string, port: number) => `${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`.toLowerCase();

const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?$/i;

/**
 * An --allowed-host value as a Host header reads: "name" (this server's port is added),
 * "name:port", an IPv6 address bare or in brackets. Undefined when it is none of these.
 */
export function allowedHostEntry(value: string, port: number): string | undefined {
  const v = value.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(v);
  if (bracketed) return `[${bracketed[1]}]:${bracketed[2] ?? port}`;
  if (/^[0-9a-f:.]+$/.test(v) && (v.match(/:/g) ?? []).length > 1) return hostPort(v, port);
  const named = /^([^:]+)(?::(\d{1,5}))?$/.exec(v);
  if (!named || !HOST_NAME.test(named[1]) || (named[2] !== undefined && Number(named[2]) > 65535)) return undefined;
  return `${named[1]}:${named[2] ?? port}`;
}

/**
 * Loopback names always; the bound address too when it is a specific one (not a
 * wildcard); and every --allowed-host entry (see allowedHostEntry; invalid ones are the
 * caller's to refuse first).
 */
export function allowedHosts(bindHost: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = ["127.0.0.1", "localhost", "::1"];
  if (!["0.0.0.0", "::", ""].includes(bindHost)) names.push(bindHost);
  const entries = extra.map((e) => allowedHostEntry(e, port)).filter((e): e is string => e !== undefined);
  return new Set([...names.map((h) => hostPort(h, port)), ...entries]);
}

/** What binding a non-loopback address means, for stderr; undefined on loopback. */
export function exposureWarning(bindHost: string, hosts: ReadonlySet<string>): string | undefined {
  if (isLoopback(bindHost)) return undefined;
  return (
    `warning: listening on ${bindHost}, not loopback; anyone who can reach it and holds the token can use every tool listed. ` +
    `Only requests whose Host header is one of ${[...hosts].join(", ")} are served: add the name clients connect by with --allowed-host NAME.`
  );
}

/** True for http(s) origins on a loopback host; "null" and other schemes are not. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  return isLoopback(url.hostname.replace(/^\[(.*)\]$/, "$1"));
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return m?.[1];
}

/** Hashing first makes the comparison constant-time whatever the lengths. */
export function tokensEqual(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Host and Origin first (a rebinding page must learn nothing, not even that a token is needed), then the token. */
export function checkRequest(h: GuardHeaders, policy: GuardPolicy): Refusal | undefined {
  if (!h.host || !policy.allowedHosts.has(h.host.toLowerCase())) {
    return { status: 403, message: `Host ${quoted(h.host ?? "")} is not served here (allowed: ${[...policy.allowedHosts].join(", ")}).` };
  }
  if (h.origin !== undefined && !isLoopbackOrigin(h.origin)) {
    return { status: 403, message: `Origin ${quoted(h.origin)} is not allowed: only loopback origins may call this server.` };
  }
  const token = bearerToken(h.authorization);
  if (!token) return { status: 401, message: "Missing bearer token: send 'Authorization: Bearer <token>'." };
  if (!tokensEqual(token, policy.token)) return { status: 401, message: "Invalid bearer token." };
  return undefined;
}
