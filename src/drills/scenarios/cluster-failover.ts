/**
 * Drill: a planned cluster failover (coordinated CLUSTER FAILOVER on a replica) while an
 * ioredis Cluster client writes and reads. Each run: a fresh 3+3 lab (node-timeout
 * 5000), one master's replica promoted. Wanted: acknowledged writes lost 0; the numbers
 * are how long writes to that master's slots stalled, as the client saw it, and the
 * tool's own "accepts writes after" time.
 */
import { failover } from "../../ops/failover/index.js";
import { readClusterView } from "../../topology/read-cluster-view.js";
import type { DrillScenario } from "../run-drill.js";
import { drillClusterLab } from "./lab-setup.js";

export function clusterFailoverUnderLoad(): DrillScenario {
  return {
    name: "cluster-failover",
    async setup(run) {
      const lab = await drillClusterLab("cfo", run, { nodes: 6, zones: 2, replicas: 1 });
      const { name, addresses, access, settings } = lab;
      return lab.orDown(async () => {
        const view = await readClusterView(addresses, { access });
        const replica = view.nodes.find((n) => n.self.role === "replica")!;
        const roles = Object.fromEntries(view.nodes.map((n) => [n.address, n.self.role]));
        return {
          writeTo: { settings },
          readFrom: [{ settings }],
          roles,
          meta: { lab: name, replica: replica.address },
          async act({ rec, signal }) {
            rec.event("failover", `CLUSTER FAILOVER on ${replica.address}`);
            const r = await failover({ addresses, access, replica: replica.self.id }, { progress: () => {}, signal });
            rec.event("writable", `${replica.address} accepted writes ${r.timings.writableMs} ms after the command; every node agreed after ${r.timings.agreedMs} ms`);
          },
          teardown: lab.down,
        };
      });
    },
  };
}
