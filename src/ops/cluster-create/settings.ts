/**
 * The settings a build tunes (apply.ts says why each one) and putting them back. The
 * restore runs on every node whatever happened to the build, and is then proved by
 * re-reading the settings: a node left with a build value is an error naming the node
 * and the setting, never a silent "restored".
 */
import type { Finding } from "../../checks/finding.js";
import { errorMessage } from "../../errors.js";
import { parseConfigGet } from "../../redis/parse-config.js";
import type { NodePool } from "../../redis/connection.js";
import { TUNED, type PreflightNode, type TunedSetting } from "./preflight.js";

export const BUILD_SETTINGS: Record<TunedSetting, string> = {
  "cluster-node-timeout": "500",
  "repl-diskless-sync-delay": "0",
  "cluster-replica-no-failover": "yes",
};

export interface RestoreFailure {
  address: string;
  error: string;
}

/** What CONFIG GET of the tuned settings gave on one node, or why it could not be read. */
export type SettingsRead = { values: Partial<Record<TunedSetting, string>> } | { error: string };

/** CONFIG SET of the original values on every node; returns the nodes where that failed. */
export async function restoreSettings(pool: NodePool, nodes: PreflightNode[]): Promise<RestoreFailure[]> {
  const results = await Promise.allSettled(
    nodes.map(async (n) => (await pool.get(n.address)).call("CONFIG", "SET", ...TUNED.flatMap((k) => [k, n.settings[k]]))),
  );
  return results.flatMap((r, i) => (r.status === "rejected" ? [{ address: nodes[i].address, error: errorMessage(r.reason) }] : []));
}

/** CONFIG GET of the tuned settings on every node, by address. */
export async function readSettings(pool: NodePool, nodes: PreflightNode[]): Promise<Record<string, SettingsRead>> {
  const reads = await Promise.all(
    nodes.map(async (n): Promise<SettingsRead> => {
      try {
        return { values: parseConfigGet(await (await pool.get(n.address)).call("CONFIG", "GET", ...TUNED)) };
      } catch (err) {
        return { error: errorMessage(err) };
      }
    }),
  );
  return Object.fromEntries(nodes.map((n, i) => [n.address, reads[i]]));
}

const setCommand = (n: PreflightNode, keys: readonly TunedSetting[]) => `CONFIG SET ${keys.map((k) => `${k} ${n.settings[k]}`).join(" ")}`;

/**
 * Pure: one error per node and setting not back at its original value, one per node
 * that could not be re-read, and a warning where CONFIG SET failed yet the values are right.
 */
export function unrestoredSettings(nodes: PreflightNode[], current: Record<string, SettingsRead>, failures: RestoreFailure[]): Finding[] {
  const findings: Finding[] = [];
  for (const n of nodes) {
    const read = current[n.address];
    const failed = failures.find((f) => f.address === n.address);
    const cause = failed ? ` (restoring it failed: ${failed.error})` : "";
    if (!read || "error" in read) {
      findings.push({
        severity: "error",
        code: "settings_unverified",
        message: `Could not re-read ${TUNED.join(", ")} on ${n.address} to confirm they were restored: ${read ? read.error : "no reply"}${cause}.`,
        next: `When ${n.address} answers, check them with CONFIG GET and if needed run ${setCommand(n, TUNED)} there.`,
        node: n.address,
      });
      continue;
    }
    const wrong = TUNED.filter((k) => read.values[k] !== n.settings[k]);
    for (const k of wrong) {
      findings.push({
        severity: "error",
        code: "setting_not_restored",
        message: `${k} on ${n.address} is ${read.values[k] ?? "(missing)"}, not its original ${n.settings[k]}${cause}.`,
        next: `Run ${setCommand(n, [k])} on ${n.address}.`,
        node: n.address,
      });
    }
    if (failed && wrong.length === 0) {
      findings.push({
        severity: "warning",
        code: "settings_restore_error",
        message: `Restoring the build settings on ${n.address} reported an error (${failed.error}), but re-reading shows the original values.`,
        next: `Nothing to undo; check ${n.address}'s connection if it recurs.`,
        node: n.address,
      });
    }
  }
  return findings;
}
