/**
 * Drill: kill -9 the process that is moving slots, at a random point of the move, then
 * run cluster fix. Each run: a fresh 3-master lab with a preloaded key set, a writer and
 * a reader on an ioredis Cluster client, and `redis-pilot cluster reshard` started as
 * its own process; once it reports moving, it is killed after a random delay (the kill
 * point is recorded: slots it had reported moved). Then cluster fix (which reads the
 * dead run's journal) settles what it left. Wanted, and checked by the run itself:
 * redis-cli --cluster check passes, no slot is open, every preloaded key is there with its
 * value; the history's checker adds the writers' lost acknowledged writes (0 wanted).
 */
import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { findRedisCli } from "../../lab/redis-binary.js";
import { fixCluster } from "../../ops/cluster-fix/index.js";
import { journalDir } from "../../ops/migrate/journal.js";
import { packageRoot } from "../../package-root.js";
import { readClusterView } from "../../topology/read-cluster-view.js";
import { clientSettings } from "../client-settings.js";
import type { DrillScenario } from "../run-drill.js";
import { drillClusterLab } from "./lab-setup.js";
import { openClient } from "../workload.js";

const run = promisify(execFile);

export interface KillFixOptions {
  /** Slots the killed reshard moves. @default 8192 */
  slots?: number;
  /** Preloaded keys checked after the fix. @default 5000 */
  keys?: number;
  /** The kill comes this long at most after the first progress line. @default 400 */
  maxKillDelayMs?: number;
}

/** The CLI as this package ships it. */
const cliPath = () => join(packageRoot(), "bin", "redis-pilot.cjs");

export function killAndFix(o: KillFixOptions = {}): DrillScenario {
  const slots = o.slots ?? 8192;
  const keys = o.keys ?? 5000;
  return {
    name: "kill-and-fix",
    async setup(runNo) {
      const lab = await drillClusterLab("killfix", runNo, { nodes: 3, replicas: 0 });
      const { name, addresses, access, settings } = lab;
      return lab.orDown(async () => {
        // Loading and checking the preloaded keys is not part of what is measured: patient clients.
        const patient = clientSettings({ kind: "cluster", nodes: addresses }, { commandTimeoutMs: 15_000 });
        const loader = await openClient(patient);
        const preload = Array.from({ length: keys }, (_, i) => [`preload:${runNo}:${i}`, `value-${i}`] as const);
        for (let i = 0; i < preload.length; i += 500) await Promise.all(preload.slice(i, i + 500).map(([k, v]) => loader.set(k, v)));
        loader.disconnect();
        const view = await readClusterView(addresses, { access });
        const [a, b] = view.nodes.map((n) => n.self).sort((x, y) => x.slots[0].start - y.slots[0].start);
        return {
          writeTo: { settings },
          readFrom: [{ settings }],
          meta: { lab: name, slots, preloaded: keys },
          async act({ rec }) {
            const child = spawn(process.execPath, [cliPath(), "cluster", "reshard", "--lab", name, "--from", "all", "--to", b.id, "--slots", String(slots), "--yes"], { stdio: ["ignore", "ignore", "pipe"], env: process.env });
            let moved = 0;
            let said = "";
            let started: () => void = () => undefined;
            const moving = new Promise<void>((r) => (started = r));
            child.stderr.on("data", (d: Buffer) => {
              said = (said + String(d)).slice(-400);
              const m = [...String(d).matchAll(/(\d+)\/(\d+) slots/g)].at(-1);
              if (m) {
                moved = Number(m[1]);
                started();
              }
            });
            const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
            const first = await Promise.race([moving.then(() => "moving" as const), exited.then(() => "exited" as const)]);
            if (first === "exited") throw new Error(`the reshard process ended before it started moving slots: ${said.trim().split("\n").at(-1)}`);
            const delay = Math.floor(Math.random() * (o.maxKillDelayMs ?? 400));
            await new Promise((r) => setTimeout(r, delay));
            const killed = child.kill("SIGKILL");
            await exited;
            rec.event("kill", killed ? `kill -9 the reshard ${delay} ms into the move, after ${moved}/${slots} slots reported` : "the reshard finished before the kill");
            const fixed = await fixCluster({ addresses, access, journalDir: journalDir({ lab: name }) }, { progress: () => {} });
            rec.event("fix", `cluster fix: ${fixed.fixes.length} fix(es) (${[...new Set(fixed.fixes.map((f) => f.kind))].join(", ") || "none"})`);
            // The run's own verdict: redis-cli agrees, and no preloaded key was lost or changed.
            const { stdout } = await run(findRedisCli(), ["--cluster", "check", addresses[0]], { timeout: 20_000 }).catch((e) => ({ stdout: String(e.stdout ?? e) }));
            if (/\[ERR\]|\[WARNING\]/.test(stdout)) throw new Error(`redis-cli --cluster check fails after the fix: ${stdout.split("\n").find((l) => /\[ERR\]|\[WARNING\]/.test(l))}`);
            const reader = await openClient(patient);
            try {
              const values: (string | null)[] = [];
              for (let i = 0; i < preload.length; i += 500) values.push(...(await Promise.all(preload.slice(i, i + 500).map(([k]) => reader.get(k)))));
              const bad = preload.filter(([, v], i) => values[i] !== v);
              if (bad.length) throw new Error(`${bad.length} preloaded key(s) missing or changed after the fix, e.g. ${bad[0][0]}`);
            } finally {
              reader.disconnect();
            }
            rec.event("verified", `redis-cli --cluster check passes; all ${keys} preloaded keys have their values`);
          },
          teardown: lab.down,
        };
      });
    },
  };
}
