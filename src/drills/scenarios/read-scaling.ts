/**
 * Drill 4: read scaling on read-replicas (1 master + 2 replicas): writers on the master,
 * readers on each replica and one on the master, each reading the newest acknowledged
 * key. Reports the share of reads the replicas served and how stale they were.
 */
import { clientSettings } from "../client-settings.js";
import type { DrillScenario } from "../run-drill.js";
import { drillLab, settingsMeta } from "./lab-setup.js";

export function readScalingScenario(): DrillScenario {
  return {
    name: "read-scaling",
    async setup(run) {
      const lab = await drillLab("reads", run, "read-replicas");
      const auth = { password: lab.state.password };
      return {
        writeTo: { settings: lab.writeSettings, auth },
        readFrom: [...lab.replicas, lab.master].map((address) => ({ settings: clientSettings({ kind: "standalone", address }), auth })),
        roles: lab.roles,
        meta: settingsMeta(lab, { readers: [...lab.replicas, lab.master] }),
        async act({ rec }) {
          rec.event("steady", "steady state: reads on replicas and master");
        },
        teardown: lab.down,
      };
    },
  };
}
