/**
 * Plain redis-server processes that belong to no lab: what a config target points at in
 * production. All on 127.0.0.1, so "localhost:PORT" and "127.1:PORT" name them too.
 * Each is stopped by its own pid in stop().
 *
 *   const s = await startServers(4, { password: "pw", cluster: true });
 *   const sentinels = await startServers(1, { password: "pw", sentinel: true });
 *   afterAll(() => s.stop());
 */
import { mkdtempSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNode, stopNode } from "../../src/lab/node-process.js";
import { PortAllocator } from "../../src/lab/ports.js";
import { findRedisServer } from "../../src/lab/redis-binary.js";
import { renderSentinelConf } from "../../src/lab/sentinel-conf.js";

export interface Servers {
  /** "127.0.0.1:PORT" each. */
  addresses: string[];
  ports: number[];
  stop(): Promise<void>;
}

export async function startServers(count: number, opts: { password?: string; cluster?: boolean; host?: string; sentinel?: boolean } = {}): Promise<Servers> {
  const bin = findRedisServer();
  const dir = mkdtempSync(join(tmpdir(), "redis-pilot-servers-"));
  const allocator = new PortAllocator();
  const host = opts.host ?? "127.0.0.1";
  const started: { pid: number; dir: string; port: number }[] = [];
  const results = await Promise.allSettled(
    Array.from({ length: count }, async (_, i) => {
      const nodeDir = join(dir, `node-${i}`);
      await mkdir(nodeDir);
      // A sentinel (opts.sentinel) monitors nothing until told to with SENTINEL MONITOR.
      const render = opts.sentinel ? (port: number) => renderSentinelConf({ host, port, dir: nodeDir, logfile: join(nodeDir, "redis.log"), password: opts.password }) : undefined;
      const conf = { cluster: !opts.sentinel && (opts.cluster ?? true), nodeTimeoutMs: 15000, password: opts.password };
      const { port, pid } = await startNode({ bin, host, dir: nodeDir, allocator, conf, ...(render ? { render, args: ["--sentinel"] } : {}) });
      started[i] = { pid, dir: nodeDir, port };
    }),
  );
  const stop = async () => {
    await Promise.all(started.filter(Boolean).map((n) => stopNode(n.pid, n.dir)));
    rmSync(dir, { recursive: true, force: true });
  };
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { addresses: started.map((n) => `${host}:${n.port}`), ports: started.map((n) => n.port), stop };
}
