/**
 * Drill 3: kill -9 of the master of a sentinel-3 set (1 master, 2 replicas, 3 sentinels,
 * down-after 1 s), writes through the Sentinel client, in three settings:
 * none; min-replicas-to-write 1 / min-replicas-max-lag 10 on every node; and WAIT 1 after
 * each write (an acknowledgment then means a replica has it).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { labFault } from "../../lab/faults/index.js";
import { formatAddress } from "../../redis/address.js";
import { NodePool } from "../../redis/connection.js";
import { parseMasterAddr } from "../../redis/parse-sentinel.js";
import { waitFor } from "../../ops/wait.js";
import type { DrillScenario } from "../run-drill.js";
import { drillLab, settingsMeta } from "./lab-setup.js";

export type Protection = "none" | "min-replicas" | "wait";
export const PROTECTIONS: Protection[] = ["none", "min-replicas", "wait"];

const MIN_REPLICAS = { "min-replicas-to-write": "1", "min-replicas-max-lag": "10" };

export function killMasterScenario(protection: Protection): DrillScenario {
  return {
    name: `kill-master/${protection}`,
    async setup(run) {
      const lab = await drillLab(`kill-${protection}`, run, "sentinel-3", {}, protection === "min-replicas" ? { "repl-diskless-sync-delay": "0", ...MIN_REPLICAS } : undefined);
      return {
        writeTo: { settings: lab.writeSettings, auth: { password: lab.state.password } },
        roles: lab.roles,
        meta: settingsMeta(lab, { protection, ...(protection === "min-replicas" ? { server: MIN_REPLICAS } : {}), ...(protection === "wait" ? { wait: "WAIT 1 100" } : {}) }),
        ...(protection === "wait" ? { wait: { replicas: 1, timeoutMs: 100 } } : {}),
        async act({ rec, signal }) {
          rec.event("kill", `kill -9 ${lab.master}`);
          await labFault(lab.state.name, lab.master, "kill");
          const pool = new NodePool(lab.access);
          try {
            const promoted = await waitFor(async () => {
              const a = parseMasterAddr(await (await pool.get(lab.sentinels[0])).call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"));
              const at = a && formatAddress(a);
              return at && at !== lab.master ? at : undefined;
            }, { what: "the sentinels promoting a replica", timeoutMs: 30_000, intervalMs: 5, signal });
            rec.event("switch-master", `sentinels promote ${promoted}`);
            // Let the other replica follow the new master before the final read (parallel-syncs 1).
            await sleep(500, undefined, { signal });
          } finally {
            await pool.close();
          }
        },
        teardown: lab.down,
      };
    },
  };
}
