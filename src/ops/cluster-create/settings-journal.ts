/**
 * The build-settings journal: before cluster create lowers cluster-node-timeout,
 * repl-diskless-sync-delay and cluster-replica-no-failover, it writes each node's
 * original values to a small file; after they are restored and re-read, it deletes it.
 * A build that no handler could stop (SIGKILL, a lost machine) leaves the file behind,
 * and with it what to put back: `cluster check` names the interrupted build
 * (buildSettingsFindings) and `cluster fix` restores the settings (the build-settings
 * repair kind). Files live beside the lab's state, or under the user's state dir for
 * other servers: <state>/build-settings/<started>-<pid>.json.
 */
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import type { Finding } from "../../checks/finding.js";
import { listNames } from "../../checks/names.js";
import { readJournalFiles, removeJournalFile, writeJournalFile, type JournalFileOf } from "../journal-files.js";
import { toolRef } from "../../registry/words.js";
import type { ResolvedTarget } from "../../targets/resolver.js";
import type { ClusterView } from "../../topology/types.js";
import { journalDirFor } from "../migrate/tool-shape.js";
import type { TunedSetting } from "./preflight.js";

export interface BuildSettingsJournal {
  op: "cluster_create";
  startedAt: string;
  pid: number;
  host: string;
  /** Every node of the build with the values it had before the build changed them. */
  nodes: { address: string; id: string; settings: Record<TunedSetting, string> }[];
}

export type JournalFile = JournalFileOf<BuildSettingsJournal>;

const DIR = "build-settings";

/** Where a build on this target journals: beside the lab's state, else under the user's state dir (as migrations do). */
export function buildSettingsDirFor(t: ResolvedTarget): string {
  return join(dirname(journalDirFor(t)), DIR);
}

export function newJournal(nodes: BuildSettingsJournal["nodes"]): BuildSettingsJournal {
  return { op: "cluster_create", startedAt: new Date().toISOString(), pid: process.pid, host: hostname(), nodes };
}

/** Writes the journal atomically; returns its path. */
export const writeJournal = (dir: string, journal: BuildSettingsJournal): Promise<string> => writeJournalFile(dir, journal);

export const removeJournal = removeJournalFile;

const isBuildJournal = (j: unknown): j is BuildSettingsJournal => (j as BuildSettingsJournal | null)?.op === "cluster_create" && Array.isArray((j as BuildSettingsJournal).nodes);

/** Every journal on this machine: the user's state dir and every lab's. */
export const readJournals = (): Promise<JournalFile[]> => readJournalFiles(DIR, isBuildJournal);

export interface LeftSetting {
  setting: TunedSetting;
  now: string;
  was: string;
}

/**
 * Pure: for each journal about this cluster (a node id in the view), the nodes whose
 * failover settings, as the view read them, are not back at their journaled values.
 */
export function buildSettingsLeft(view: ClusterView, journals: JournalFile[]): { file: JournalFile; nodes: { address: string; left: LeftSetting[] }[] }[] {
  const byId = new Map(view.nodes.map((n) => [n.self.id, n]));
  return journals
    .filter((f) => f.journal.nodes.some((n) => byId.has(n.id)))
    .map((file) => ({
      file,
      nodes: file.journal.nodes.flatMap((j) => {
        const f = byId.get(j.id)?.failover;
        if (!f) return [];
        const now: Partial<Record<TunedSetting, string>> = {
          ...(f.nodeTimeoutMs !== undefined ? { "cluster-node-timeout": String(f.nodeTimeoutMs) } : {}),
          ...(f.replicaNoFailover !== undefined ? { "cluster-replica-no-failover": f.replicaNoFailover ? "yes" : "no" } : {}),
        };
        const left = (Object.keys(now) as TunedSetting[]).filter((k) => now[k] !== j.settings[k]).map((k) => ({ setting: k, now: now[k]!, was: j.settings[k] }));
        return left.length ? [{ address: byId.get(j.id)!.address, left }] : [];
      }),
    }))
    .filter((x) => x.nodes.length > 0);
}

/** Pure: one error per interrupted build whose lowered settings are still on this cluster. */
export function buildSettingsFindings(view: ClusterView, journals: JournalFile[]): Finding[] {
  return buildSettingsLeft(view, journals).map(({ file, nodes }) => {
    const j = file.journal;
    const settings = [...new Map(nodes.flatMap((n) => n.left).map((l) => [l.setting, l])).values()];
    return {
      severity: "error" as const,
      code: "build_settings_left",
      message:
        `A cluster create started ${j.startedAt} (pid ${j.pid} on ${j.host}) did not finish and left its build settings on ${listNames(nodes.map((n) => n.address))}: ` +
        `${settings.map((l) => `${l.setting} ${l.now} (was ${l.was})`).join(", ")}. Its journal is ${file.path}.`,
      next: `Run ${toolRef("cluster_fix")} to put the original values back.`,
    };
  });
}
