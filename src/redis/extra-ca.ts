/**
 * NODE_EXTRA_CA_CERTS, applied when a TLS connection is made instead of when node starts.
 * Node 20 reads and parses that file at every start, before any of our code runs: with a
 * system CA bundle there that is about 40 ms on a 2-core machine. Most runs of the
 * `cluster` and `lab` verbs open no TLS connection at all, so bin/redis-pilot moves the
 * variable to REDIS_PILOT_EXTRA_CA_CERTS for them, and this puts it back for the
 * connections that use TLS, the way Node would have: its default roots plus that file,
 * and only where no `ca` was given.
 */
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { errorMessage } from "../errors.js";
import { lazyRequire } from "../lazy-require.js";
import { log } from "../log.js";

export const DEFERRED_CA_ENV = "REDIS_PILOT_EXTRA_CA_CERTS";

/** File -> default roots plus its certificates: read once per process, as Node reads it once at start. */
const loaded = new Map<string, string[]>();

export function withDeferredExtraCa(tls: ConnectionOptions | undefined, env: NodeJS.ProcessEnv = process.env): ConnectionOptions | undefined {
  const file = env[DEFERRED_CA_ENV];
  if (!tls || tls.ca !== undefined || !file) return tls;
  try {
    let ca = loaded.get(file);
    if (!ca) {
      // node:tls is required here, not imported: the startup snapshot cannot hold it (scripts/lazy-tls.cjs).
      const { rootCertificates } = lazyRequire("node:tls") as typeof import("node:tls");
      ca = [...rootCertificates, readFileSync(file, "utf8")];
      loaded.set(file, ca);
    }
    return { ...tls, ca };
  } catch (err) {
    // What Node does with an unreadable NODE_EXTRA_CA_CERTS: warn and use the default roots.
    log.warn({ file, error: errorMessage(err) }, "ignoring extra CA certificates: the file could not be read");
    return tls;
  }
}
