/** Drill 1: a planned switchover under writes through the Sentinel client; nothing acknowledged may be lost. */
import type { DrillScenario } from "../run-drill.js";
import { switchover } from "../../ops/replication/switchover.js";
import { drillLab, settingsMeta } from "./lab-setup.js";

export function switchoverScenario(): DrillScenario {
  return {
    name: "switchover",
    async setup(run) {
      const lab = await drillLab("switchover", run, "active-passive");
      return {
        writeTo: { settings: lab.writeSettings, auth: { password: lab.state.password } },
        roles: lab.roles,
        meta: settingsMeta(lab),
        async act({ rec, signal }) {
          rec.event("switchover-start", `switchover ${lab.master} -> ${lab.replicas[0]}`);
          const r = await switchover({ master: lab.master, to: lab.replicas[0], access: lab.access, sentinels: { addresses: lab.sentinels, name: "mymaster" } }, { progress: () => {}, signal });
          rec.event("switchover-writable", `new master writable (+${r.writableMs} ms)`);
        },
        teardown: lab.down,
      };
    },
  };
}
