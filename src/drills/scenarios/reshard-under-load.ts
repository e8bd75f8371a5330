/**
 * Drill: reshard and rebalance while an ioredis Cluster client writes fresh keys and
 * reads the latest acknowledged one. Each run: a fresh 3-master lab (node-timeout 5000),
 * N slots moved from the first master to the second, then a rebalance back to even.
 * Wanted: acknowledged writes lost 0, and no client error at all (ioredis follows MOVED
 * and ASK by itself, so a redirect never reaches the application).
 */
import { journalDir } from "../../ops/migrate/journal.js";
import { rebalance, reshard } from "../../ops/migrate/verbs.js";
import { readClusterView } from "../../topology/read-cluster-view.js";
import type { DrillScenario } from "../run-drill.js";
import { drillClusterLab } from "./lab-setup.js";

export interface ReshardDrillOptions {
  /** Slots moved before the rebalance. @default 4096 */
  slots?: number;
}

export function reshardUnderLoad(o: ReshardDrillOptions = {}): DrillScenario {
  const slots = o.slots ?? 4096;
  return {
    name: "reshard-under-load",
    async setup(run) {
      const lab = await drillClusterLab("reshard", run, { nodes: 3, replicas: 0 });
      const { name, addresses, access, settings } = lab;
      return lab.orDown(async () => {
        const view = await readClusterView(addresses, { access });
        const [a, b] = view.nodes.map((n) => n.self).sort((x, y) => x.slots[0].start - y.slots[0].start);
        const common = { addresses, access, journalDir: journalDir({ lab: name }) };
        return {
          writeTo: { settings },
          readFrom: [{ settings }],
          meta: { lab: name, slots, from: a.id, to: b.id },
          async act({ rec, signal }) {
            rec.event("reshard", `reshard ${slots} slots ${a.host}:${a.port} -> ${b.host}:${b.port}`);
            const r = await reshard({ ...common, from: [a.id], to: b.id, slots }, { progress: () => {}, signal });
            rec.event("reshard-done", `${r.moved.slots} slots, ${r.moved.keys} keys moved in ${r.moved.ms} ms`);
            rec.event("rebalance", "rebalance to even shares");
            const rb = await rebalance({ ...common }, { progress: () => {}, signal });
            rec.event("rebalance-done", `${rb.moved.slots} slots, ${rb.moved.keys} keys moved in ${rb.moved.ms} ms`);
          },
          teardown: lab.down,
        };
      });
    },
  };
}
