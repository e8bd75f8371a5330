/**
 * Failover settings in cluster check (src/checks/failover-settings.ts) and the findings
 * of an interrupted cluster create's journal (src/ops/cluster-create/settings-journal.ts):
 * pure, tables of node settings in, finding codes and words out.
 */
import { describe, expect, it } from "vitest";
import { checkFailoverSettings } from "../src/checks/failover-settings.js";
import { buildSettingsFindings, buildSettingsLeft, type JournalFile } from "../src/ops/cluster-create/settings-journal.js";
import { speak } from "../src/registry/words.js";
import type { ClusterView, NodeView } from "../src/topology/types.js";

type N = { role?: "master" | "replica"; timeout?: number; noFailover?: boolean; read?: false };

function view(nodes: N[]): ClusterView {
  return {
    readAt: "2026-01-01T00:00:00Z",
    unreachable: [],
    nodes: nodes.map(
      (n, i) =>
        ({
          address: `127.0.0.1:${7000 + i}`,
          self: { id: `id${i}`, role: n.role ?? (i < 3 ? "master" : "replica") },
          ...(n.read === false ? {} : { failover: { nodeTimeoutMs: n.timeout ?? 15000, replicaNoFailover: n.noFailover ?? false } }),
        }) as unknown as NodeView,
    ),
  };
}

const six = (n: N = {}) => Array.from({ length: 6 }, () => ({ ...n }));

describe("checkFailoverSettings", () => {
  it.each<[string, N[], string[]]>([
    ["defaults everywhere", six(), []],
    ["CONFIG refused on every node (nothing to judge)", six({ read: false }), []],
    ["a build's settings left on every node", six({ timeout: 500, noFailover: true }), ["replica_failover_disabled", "node_timeout_low"]],
    ["no-failover on masters only (it applies to replicas)", [...six().slice(0, 3).map((n) => ({ ...n, noFailover: true })), ...six().slice(3)], []],
    ["one replica that will not fail over", [...six().slice(0, 5), { noFailover: true }], ["replica_failover_disabled"]],
    ["one node far below the others", [{ timeout: 500 }, ...six().slice(1)], ["node_timeout_inconsistent"]],
    ["two values, three nodes each", [...six().slice(0, 3), ...six({ timeout: 5000 }).slice(3)], ["node_timeout_inconsistent"]],
    ["1000 ms everywhere is low enough for a test, not flagged", six({ timeout: 1000 }), []],
  ])("%s", (_, nodes, codes) => {
    expect(checkFailoverSettings(view(nodes)).map((f) => f.code)).toEqual(codes);
  });

  it("names the cluster's own value and the odd nodes", () => {
    const [f] = checkFailoverSettings(view([{ timeout: 500 }, { timeout: 500 }, ...six().slice(2)]));
    expect(f.message).toBe("cluster-node-timeout differs between nodes: 15000 ms on 4 node(s), 500 ms on 127.0.0.1:7000, 127.0.0.1:7001.");
    expect(speak(f.next)).toBe("Set the same value on every node (CONFIG SET cluster-node-timeout 15000, and in redis.conf); after an interrupted cluster create, cluster_fix restores it.");
  });
});

const ORIGINAL = { "cluster-node-timeout": "15000", "repl-diskless-sync-delay": "5", "cluster-replica-no-failover": "no" } as const;
const journal = (ids: string[]): JournalFile => ({
  path: "/state/build-settings/x.json",
  journal: { op: "cluster_create", startedAt: "2026-01-01T00:00:00.000Z", pid: 42, host: "ops1", nodes: ids.map((id, i) => ({ address: `127.0.0.1:${7000 + i}`, id, settings: { ...ORIGINAL } })) },
});

describe("an interrupted cluster create's journal", () => {
  it.each<[string, N[], JournalFile[], number]>([
    ["no journal", six({ timeout: 500, noFailover: true }), [], 0],
    ["a journal of this cluster, settings still lowered", six({ timeout: 500, noFailover: true }), [journal(["id0", "id1", "id2", "id3", "id4", "id5"])], 6],
    ["a journal of this cluster, settings already back", six(), [journal(["id0", "id1"])], 0],
    ["a journal of another cluster", six({ timeout: 500 }), [journal(["other0", "other1"])], 0],
    ["only some nodes still lowered", [{ timeout: 500 }, ...six().slice(1)], [journal(["id0", "id1", "id2"])], 1],
  ])("%s", (_, nodes, files, left) => {
    const found = buildSettingsLeft(view(nodes), files);
    expect(found.flatMap((f) => f.nodes)).toHaveLength(left);
    expect(buildSettingsFindings(view(nodes), files).map((f) => f.code)).toEqual(left ? ["build_settings_left"] : []);
  });

  it("says when and where the build ran, what it left, and how to repair it", () => {
    const [f] = buildSettingsFindings(view([{ timeout: 500, noFailover: true }, ...six().slice(1)]), [journal(["id0"])]);
    expect(f.severity).toBe("error");
    expect(f.message).toBe(
      "A cluster create started 2026-01-01T00:00:00.000Z (pid 42 on ops1) did not finish and left its build settings on 127.0.0.1:7000: " +
        "cluster-node-timeout 500 (was 15000), cluster-replica-no-failover yes (was no). Its journal is /state/build-settings/x.json.",
    );
    expect(speak(f.next)).toBe("Run cluster_fix to put the original values back.");
  });
});
