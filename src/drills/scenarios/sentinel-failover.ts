/**
 * Drill 2: SENTINEL FAILOVER under writes, with and without the client's failoverDetector.
 * Without it, a client keeps writing to the old master, which stays a writable master
 * until the sentinels demote it (about 8-18 s later): those writes are lost.
 */
import type { DrillScenario } from "../run-drill.js";
import { sentinelFailover } from "../../ops/sentinel/failover.js";
import { drillLab, settingsMeta } from "./lab-setup.js";

export function sentinelFailoverScenario(failoverDetector: boolean): DrillScenario {
  const name = `sentinel-failover/${failoverDetector ? "failoverDetector" : "no-failoverDetector"}`;
  return {
    name,
    async setup(run) {
      const lab = await drillLab(failoverDetector ? "sf-fd" : "sf-nofd", run, "active-passive", { failoverDetector });
      return {
        writeTo: { settings: lab.writeSettings, auth: { password: lab.state.password } },
        roles: lab.roles,
        meta: settingsMeta(lab),
        async act({ rec, signal }) {
          rec.event("failover-start", "SENTINEL FAILOVER");
          const r = await sentinelFailover({ sentinels: lab.sentinels, name: "mymaster", access: lab.access }, { progress: (e) => (e.message.includes("writable") ? rec.event("failover-writable", `new master writable`) : undefined), signal });
          rec.event("failover-verified", `old master demoted, all agree (+${r.totalMs} ms)`);
        },
        teardown: lab.down,
      };
    },
  };
}
