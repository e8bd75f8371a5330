/**
 * Replication lag over a window: samples every master's INFO replication at an interval
 * and reports, per replica, min / avg / max of the bytes it is behind (master offset minus
 * the offset it acknowledged) and of the seconds since its last acknowledgment.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { NodePool } from "../redis/connection.js";
import { readReplicationNode } from "./replication-view.js";

export interface Stat {
  min: number;
  avg: number;
  max: number;
}

export interface ReplicaLag {
  replica: string;
  master: string;
  samples: number;
  bytes: Stat;
  seconds: Stat;
  /** Samples in which the master did not list the replica as online. */
  offline: number;
}

export function stat(values: number[]): Stat {
  if (values.length === 0) return { min: 0, avg: 0, max: 0 };
  return { min: Math.min(...values), avg: Math.round((values.reduce((a, v) => a + v, 0) / values.length) * 10) / 10, max: Math.max(...values) };
}

export async function sampleLag(pool: NodePool, masters: string[], o: { durationMs: number; intervalMs: number; signal?: AbortSignal }): Promise<ReplicaLag[]> {
  const series = new Map<string, { master: string; bytes: number[]; seconds: number[]; offline: number }>();
  const deadline = Date.now() + o.durationMs;
  let rounds = 0;
  do {
    const nodes = await Promise.all(masters.map((m) => readReplicationNode(pool, m)));
    rounds++;
    for (const m of nodes) {
      for (const l of m.replication.connectedReplicas) {
        const s = series.get(l.address) ?? { master: m.address, bytes: [], seconds: [], offline: 0 };
        if (l.state !== "online") s.offline++;
        s.bytes.push(Math.max(0, m.replication.offset - l.offset));
        s.seconds.push(l.lag);
        series.set(l.address, s);
      }
    }
    if (Date.now() + o.intervalMs > deadline || o.signal?.aborted) break;
    await sleep(o.intervalMs);
  } while (Date.now() < deadline);
  return [...series].map(([replica, s]) => ({ replica, master: s.master, samples: s.bytes.length, bytes: stat(s.bytes), seconds: stat(s.seconds), offline: s.offline + (rounds - s.bytes.length) }));
}
