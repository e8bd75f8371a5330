// Verify's proof that the build settings were restored is pure: preflight's originals,
// what CONFIG GET re-read, and which restores failed, in; findings out. Pinned by a table.
// (test/cluster-create.test.ts runs the restore on real servers after failed builds.)
import { describe, expect, it } from "vitest";
import type { PreflightNode } from "../src/ops/cluster-create/preflight.js";
import { unrestoredSettings, type RestoreFailure, type SettingsRead } from "../src/ops/cluster-create/settings.js";

const ORIGINAL = { "cluster-node-timeout": "15000", "repl-diskless-sync-delay": "5", "cluster-replica-no-failover": "no" };
const BUILD = { "cluster-node-timeout": "500", "repl-diskless-sync-delay": "0", "cluster-replica-no-failover": "yes" };

const node = (address: string): PreflightNode => ({
  address,
  host: address.split(":")[0],
  ip: address.split(":")[0],
  id: address.replace(/\D/g, "").padEnd(40, "0"),
  configEpoch: 0,
  busPort: 17000,
  requirepassSet: false,
  masterauthSet: false,
  settings: { ...ORIGINAL },
});

const A = "127.0.1.1:7000";
const B = "127.0.2.1:7001";
const nodes = [node(A), node(B)];
const restored: SettingsRead = { values: { ...ORIGINAL } };

const cases: { name: string; current: Record<string, SettingsRead>; failures?: RestoreFailure[]; expected: { severity: string; code: string; node: string; message: string | RegExp }[] }[] = [
  { name: "every setting back on every node", current: { [A]: restored, [B]: restored }, expected: [] },
  {
    name: "one setting left at its build value",
    current: { [A]: restored, [B]: { values: { ...ORIGINAL, "cluster-node-timeout": "500" } } },
    expected: [{ severity: "error", code: "setting_not_restored", node: B, message: `cluster-node-timeout on ${B} is 500, not its original 15000.` }],
  },
  {
    name: "all three left, with the restore's error as the cause",
    current: { [A]: { values: { ...BUILD } }, [B]: restored },
    failures: [{ address: A, error: "Cannot reach 127.0.1.1:7000: connection reset." }],
    expected: ["cluster-node-timeout", "repl-diskless-sync-delay", "cluster-replica-no-failover"].map((k) => ({
      severity: "error",
      code: "setting_not_restored",
      node: A,
      message: new RegExp(`^${k} on 127\\.0\\.1\\.1:7000 is \\w+, not its original \\w+ \\(restoring it failed: Cannot reach 127\\.0\\.1\\.1:7000: connection reset\\.\\)\\.$`),
    })),
  },
  {
    name: "a setting missing from the reply",
    current: { [A]: { values: { "cluster-node-timeout": "15000", "repl-diskless-sync-delay": "5" } }, [B]: restored },
    expected: [{ severity: "error", code: "setting_not_restored", node: A, message: `cluster-replica-no-failover on ${A} is (missing), not its original no.` }],
  },
  {
    name: "a node that cannot be re-read",
    current: { [A]: restored, [B]: { error: "Cannot reach 127.0.2.1:7001: connection refused." } },
    failures: [{ address: B, error: "Cannot reach 127.0.2.1:7001: connection refused." }],
    expected: [{ severity: "error", code: "settings_unverified", node: B, message: /^Could not re-read cluster-node-timeout, repl-diskless-sync-delay, cluster-replica-no-failover on 127\.0\.2\.1:7001/ }],
  },
  {
    name: "a node missing from the re-read",
    current: { [A]: restored },
    expected: [{ severity: "error", code: "settings_unverified", node: B, message: /no reply\.$/ }],
  },
  {
    name: "CONFIG SET failed yet the values are the originals",
    current: { [A]: restored, [B]: restored },
    failures: [{ address: A, error: "Connection is closed." }],
    expected: [{ severity: "warning", code: "settings_restore_error", node: A, message: /reported an error \(Connection is closed\.\), but re-reading shows the original values\.$/ }],
  },
];

describe("unrestoredSettings", () => {
  it.each(cases)("$name", ({ current, failures, expected }) => {
    const findings = unrestoredSettings(nodes, current, failures ?? []);
    expect(findings).toHaveLength(expected.length);
    findings.forEach((f, i) => {
      const { message, ...rest } = expected[i];
      expect(f).toMatchObject(rest);
      if (typeof message === "string") expect(f.message).toBe(message);
      else expect(f.message).toMatch(message);
      expect(f.next).toMatch(/CONFIG (SET|GET)|Nothing to undo/);
    });
  });

  it("the next step is the exact command that puts the setting back", () => {
    const [f] = unrestoredSettings(nodes, { [A]: restored, [B]: { values: { ...ORIGINAL, "repl-diskless-sync-delay": "0" } } }, []);
    expect(f.next).toBe(`Run CONFIG SET repl-diskless-sync-delay 5 on ${B}.`);
  });
});
