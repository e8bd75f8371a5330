/**
 * sentinel.conf for one lab sentinel. It starts monitoring nothing: the lab's templates
 * (and sentinel_monitor) tell it what to watch through SENTINEL MONITOR, exactly as on
 * real servers. Sentinel rewrites this file as it learns, so it lives in the sentinel's
 * own dir, mode 0600 (it will hold auth-pass).
 */
import { quoteConf } from "./redis-conf.js";

export interface SentinelConf {
  host: string;
  port: number;
  dir: string;
  logfile: string;
  /** requirepass for the sentinel itself, and the password it uses towards other sentinels. */
  password?: string;
}

export function renderSentinelConf(c: SentinelConf): string {
  const lines = [
    "# Written by redis-pilot for one lab sentinel; removed by 'redis-pilot lab down'.",
    `bind ${c.host}`,
    // Outgoing links (to masters, replicas, other sentinels) come from the sentinel's own
    // address, and it announces that address in its hellos, so peers reach it there.
    `bind-source-addr ${c.host}`,
    `sentinel announce-ip ${c.host}`,
    "protected-mode no",
    `port ${c.port}`,
    `dir ${quoteConf(c.dir)}`,
    `logfile ${quoteConf(c.logfile)}`,
    "daemonize no",
    'proc-title-template "{title} {listen-addr} {server-mode} {config-file}"',
  ];
  if (c.password !== undefined) lines.push(`requirepass ${quoteConf(c.password)}`, `sentinel sentinel-pass ${quoteConf(c.password)}`);
  return lines.join("\n") + "\n";
}
