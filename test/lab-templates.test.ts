// Lab templates on real redis-server and redis-sentinel processes: each builds its
// pattern through the replication and sentinel ops and verifies it; the lab's state
// records what was built, and lab down stops every process, sentinels included.
import { describe, expect, it } from "vitest";
import { checkReplication } from "../src/checks/replication-checks.js";
import { checkSentinels } from "../src/checks/sentinel-checks.js";
import { labDown, labStatus, labUp, specFor } from "../src/lab/index.js";
import { isNodeProcess } from "../src/lab/node-process.js";
import { TEMPLATES } from "../src/lab/templates/index.js";
import { formatAddress } from "../src/redis/address.js";
import { NodePool } from "../src/redis/connection.js";
import { readReplicationView } from "../src/topology/replication-view.js";
import { readSentinelView } from "../src/topology/sentinel-view.js";
import { useTempLabHome } from "./helpers/env.js";

useTempLabHome();

describe("lab templates", () => {
  it("every template names its pattern and what it does and does not protect against", () => {
    for (const t of TEMPLATES) {
      expect(t.pattern.length).toBeGreaterThan(20);
      expect(t.protectsAgainst.length).toBeGreaterThan(20);
      expect(t.doesNotProtectAgainst.length).toBeGreaterThan(20);
    }
    expect(specFor({ name: "x", template: "read-replicas", replicas: 3 })).toMatchObject({ nodes: 4, sentinels: 0, cluster: false });
    expect(() => specFor({ name: "x", template: "nope" })).toThrow(/No lab template named 'nope' \(known: active-passive, read-replicas, sentinel-3, multi-dc, multi-dc-sentinel, geo\)/);
  });

  it("active-passive: 1 master + 1 replica watched by 3 sentinels in 3 zones, verified", async () => {
    const state = await labUp({ name: "tpl-ap", template: "active-passive", password: "s3cret-pw" });
    expect(state.nodes).toHaveLength(2);
    expect(state.sentinels).toHaveLength(3);
    expect(new Set(state.sentinels!.map((s) => s.zone))).toEqual(new Set(["z1", "z2", "z3"]));
    const [master, replica] = state.nodes.map((n) => formatAddress(n));
    expect(state.topology).toMatchObject({ template: "active-passive", master, replicas: [replica], sentinelMaster: "mymaster" });

    const pool = new NodePool({ password: "s3cret-pw" });
    try {
      const view = await readReplicationView([master], { pool });
      expect(view.nodes.map((n) => n.replication.role).sort()).toEqual(["master", "replica"]);
      expect(checkReplication(view).filter((f) => f.severity === "error")).toEqual([]);
      const sentinels = state.sentinels!.map((s) => formatAddress(s));
      const sv = await readSentinelView(sentinels, { pool, name: "mymaster" });
      expect(sv.sentinels).toHaveLength(3);
      const findings = checkSentinels(sv, "mymaster");
      expect(findings.filter((f) => f.severity === "error")).toEqual([]);
      expect(findings.map((f) => f.code)).toContain("quorum_vs_majority");
    } finally {
      await pool.close();
    }
    const status = await labStatus("tpl-ap");
    expect(status.nodes.filter((n) => n.role === "sentinel")).toHaveLength(3);
    expect(status.nodes.every((n) => n.running)).toBe(true);

    const pids = [...state.nodes, ...state.sentinels!].map((n) => ({ pid: n.pid!, dir: n.dir }));
    await labDown("tpl-ap");
    expect(pids.filter((p) => isNodeProcess(p.pid, p.dir))).toEqual([]);
  });

  it("read-replicas: 1 master + N replicas in sync, no sentinels", async () => {
    const state = await labUp({ name: "tpl-rr", template: "read-replicas", replicas: 3 });
    expect(state.nodes).toHaveLength(4);
    expect(state.sentinels).toBeUndefined();
    expect(state.topology?.replicas).toHaveLength(3);
    const pool = new NodePool();
    try {
      const view = await readReplicationView([state.topology!.master!], { pool });
      expect(view.nodes.filter((n) => n.replication.role === "replica" && n.replication.masterLinkStatus === "up")).toHaveLength(3);
    } finally {
      await pool.close();
    }
  });
});
