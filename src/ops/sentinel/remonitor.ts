/**
 * Helpers for ops that move a master under sentinels' watch: read what the sentinels
 * monitor a name with (refusing a name none of them knows), monitor it again at a new
 * address with the same settings, and wait until every sentinel agrees.
 */
import { quoted, ValidationError } from "../../errors.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { NodePool } from "../../redis/connection.js";
import type { NodeAccess } from "../../redis/node-access.js";
import { parseFieldList, parseSentinelMaster } from "../../redis/parse-sentinel.js";
import { masterAddresses, readSentinelView, type SentinelView } from "../../topology/sentinel-view.js";
import type { OpContext } from "../progress.js";
import { waitFor } from "../wait.js";
import { converged } from "./monitor.js";
import { setArgs, type MonitorSettings } from "./plan.js";
import { toolRef } from "../../registry/words.js";

export interface SentinelWatch {
  addresses: string[];
  name: string;
}

export class UnknownMasterNameError extends ValidationError {
  constructor(name: string, known: string[]) {
    super(`No sentinel monitors a master named ${quoted(name)}${known.length ? ` (they monitor: ${known.join(", ")})` : " (they monitor none)"}.`, `Use one of the names the sentinels know (${toolRef("sentinel_check")} lists them), or ${toolRef("sentinel_monitor")} to add it.`);
  }
}

/** The master names the sentinels monitor, with the address each names, read once. */
export async function monitoredBy(access: NodeAccess, sentinels: string[]): Promise<string[]> {
  return Object.keys(await mastersBy(access, sentinels));
}

/** name -> master address, as the first sentinel that answers says. */
export async function mastersBy(access: NodeAccess, sentinels: string[]): Promise<Record<string, string>> {
  const pool = new NodePool(access);
  try {
    const view = await readSentinelView(sentinels, { pool, discover: false });
    const out: Record<string, string> = {};
    for (const s of view.sentinels) for (const [name, m] of Object.entries(s.masters)) out[name] ??= formatAddress({ host: m.master.host, port: m.master.port });
    return out;
  } finally {
    await pool.close();
  }
}

/** SENTINEL MASTER name on every sentinel: the settings to keep, checked against the master we expect. */
export async function sentinelSettings(pool: NodePool, sentinels: string[], name: string, expectedMaster?: string): Promise<Omit<MonitorSettings, "master">> {
  const entries = await Promise.all(
    sentinels.map(async (s) => {
      const client = await pool.get(s);
      try {
        return { s, m: parseSentinelMaster(parseFieldList(await client.call("SENTINEL", "MASTER", name), "SENTINEL MASTER")) };
      } catch (err) {
        // A Redis node (not a sentinel) answers "unknown command": say so, not "Internal error".
        if (err instanceof Error && /unknown command/i.test(err.message)) {
          throw new ValidationError(`${s} is not a sentinel (it does not know SENTINEL commands).`, "Name the sentinels' addresses (port 26379 by default), not the Redis nodes'.");
        }
        if (err instanceof Error && /No such master/i.test(err.message)) {
          const names = (await client.call("SENTINEL", "MASTERS")) as unknown[][];
          throw new UnknownMasterNameError(name, names.map((f) => String(f[f.indexOf("name") + 1])));
        }
        throw err;
      }
    }),
  );
  if (expectedMaster) {
    for (const { s, m } of entries) {
      const at = formatAddress({ host: m.host, port: m.port });
      if (at !== formatAddress(parseAddress(expectedMaster))) throw new ValidationError(`Sentinel ${s} says the master of ${quoted(name)} is ${at}, not ${expectedMaster}.`, `Name the master the sentinels agree on (${toolRef("sentinel_check")}), or wait for a failover in progress to finish.`);
    }
  }
  const m = entries[0].m;
  return { name, quorum: m.quorum, downAfterMs: m.downAfterMs, failoverTimeoutMs: m.failoverTimeoutMs, parallelSyncs: m.parallelSyncs };
}

/** SENTINEL MONITOR + SET (auth-pass from the master's own credentials) on every sentinel. */
export async function remonitor(pool: NodePool, sentinels: string[], s: MonitorSettings, access: NodeAccess): Promise<void> {
  const { host, port } = parseAddress(s.master);
  await Promise.all(
    sentinels.map(async (a) => {
      const auth = access.forward(s.master, a, "as the sentinels' auth-pass");
      const authArgs = auth.password !== undefined ? ["auth-pass", auth.password, ...(auth.username ? ["auth-user", auth.username] : [])] : [];
      const client = await pool.get(a);
      await client.call("SENTINEL", "MONITOR", s.name, host, String(port), String(s.quorum));
      await client.call("SENTINEL", "SET", s.name, ...setArgs(s), ...authArgs);
    }),
  );
}

/** Waits until every sentinel names `master` for `name`, sees the others and the replicas, CKQUORUM OK. */
export async function waitSentinelsAgree(pool: NodePool, sentinels: string[], name: string, master: string, nodes: number, ctx: OpContext, timeoutMs = 20_000): Promise<SentinelView> {
  const want = formatAddress(parseAddress(master));
  let last: SentinelView | undefined;
  await waitFor(
    async () => {
      last = await readSentinelView(sentinels, { pool, name, discover: false });
      const agree = [...masterAddresses(last, name).values()].every((a) => a === want);
      return agree && converged(last, name, nodes - 1) ? true : undefined;
    },
    { what: `every sentinel agreeing that ${want} is the master of ${name}`, timeoutMs, intervalMs: 100, signal: ctx.signal },
  );
  return last!;
}
