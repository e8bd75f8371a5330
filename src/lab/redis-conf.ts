/**
 * redis.conf for one lab node. Secrets live here, not in argv, so `ps` never shows the
 * password. The process title names the conf file, which is how `lab down` proves a pid
 * still belongs to this node before signalling it.
 */
import { ValidationError } from "../errors.js";

export interface NodeConf {
  host: string;
  port: number;
  /** Node data dir: nodes.conf, logs. */
  dir: string;
  logfile: string;
  cluster: boolean;
  nodeTimeoutMs: number;
  password?: string;
  /** Extra directives, e.g. { "enable-debug-command": "local" }. */
  extra?: Record<string, string>;
}

/** Quotes a value for redis.conf (double quotes, backslash escapes). */
export function quoteConf(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function extraLines(extra: Record<string, string>): string[] {
  return Object.entries(extra).map(([key, value]) => {
    if (!/^[a-z][a-z0-9-]*$/.test(key) || /[\r\n]/.test(value)) {
      throw new ValidationError(`Lab config directive '${key}' is not a valid redis.conf line.`, "Use lowercase directive names and single-line values.");
    }
    return `${key} ${value}`;
  });
}

export function renderRedisConf(c: NodeConf): string {
  const lines = [
    "# Written by redis-pilot for one lab node; removed by 'redis-pilot lab down'.",
    `bind ${c.host}`,
    // Each lab node is its own "host" on 127.0.z.h: outgoing bus and replication
    // connections must come from that address too, not from 127.0.0.1, or peers record
    // (and gossip) an address where nothing listens.
    `bind-source-addr ${c.host}`,
    // Protected mode counts only 127.0.0.1 and ::1 as local, so it would refuse peers
    // on 127.0.z.h; the lab binds loopback addresses only, which is the protection.
    "protected-mode no",
    `port ${c.port}`,
    `dir ${quoteConf(c.dir)}`,
    `logfile ${quoteConf(c.logfile)}`,
    "daemonize no",
    'save ""',
    "appendonly no",
    'proc-title-template "{title} {listen-addr} {server-mode} {config-file}"',
    `cluster-enabled ${c.cluster ? "yes" : "no"}`,
  ];
  if (c.cluster) lines.push("cluster-config-file nodes.conf", `cluster-node-timeout ${c.nodeTimeoutMs}`);
  if (c.password !== undefined) lines.push(`requirepass ${quoteConf(c.password)}`, `masterauth ${quoteConf(c.password)}`);
  lines.push(...extraLines(c.extra ?? {}));
  return lines.join("\n") + "\n";
}
