/**
 * The switchover journal: before a switchover changes anything it writes who moves the
 * master role to whom (and the sentinels' settings it takes away for the moment), marks
 * the promotion when it happens, and deletes the file once verified or put back. A
 * switchover no handler could stop (SIGKILL, a lost machine) leaves the file, and
 * replication_check judges it against what the servers say now (switchoverFindings):
 * stopped before the promotion (roles as before; the sentinels may have forgotten the
 * master) or after it (two masters until the rest is repointed). Files live beside the
 * lab's state, or under the user's state dir: <state>/switchovers/<started>-<pid>.json.
 */
import { hostname } from "node:os";
import type { Finding } from "../../checks/finding.js";
import { readJournalFiles, removeJournalFile, writeJournalFile, type JournalFileOf } from "../journal-files.js";
import { callRef, toolRef } from "../../registry/words.js";
import { nodeAt, type ReplicationView } from "../../topology/replication-view.js";
import { parseAddress } from "../../redis/address.js";

export const SWITCHOVER_DIR = "switchovers";

export interface SwitchoverJournal {
  op: "replication_switchover";
  startedAt: string;
  pid: number;
  host: string;
  from: string;
  to: string;
  others: string[];
  /** The sentinels told to forget the master for the switch, and what to give them back. */
  sentinels?: { addresses: string[]; name: string; quorum: number; downAfterMs: number; failoverTimeoutMs: number; parallelSyncs: number };
  /** started: nothing promoted yet; promoted: `to` answered REPLICAOF NO ONE. */
  step: "started" | "promoted";
}

export type SwitchoverJournalFile = JournalFileOf<SwitchoverJournal>;

/** Writes (or rewrites) the journal atomically; returns its path. */
export const writeSwitchoverJournal = (dir: string, journal: SwitchoverJournal): Promise<string> => writeJournalFile(dir, journal);

export const removeSwitchoverJournal = removeJournalFile;

const isSwitchoverJournal = (j: unknown): j is SwitchoverJournal => {
  const s = j as SwitchoverJournal | null;
  return s?.op === "replication_switchover" && typeof s.from === "string" && typeof s.to === "string";
};

/** Every switchover journal on this machine: the user's state dir and every lab's. */
export const readSwitchoverJournals = (): Promise<SwitchoverJournalFile[]> => readJournalFiles(SWITCHOVER_DIR, isSwitchoverJournal);

/** Whether the process that wrote the journal still runs (then the switchover is in progress, not interrupted). */
export function writerAlive(j: SwitchoverJournal): boolean {
  if (j.host !== hostname()) return false;
  try {
    process.kill(j.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Pure: one finding per interrupted switchover whose nodes this view read and that the
 * servers do not show finished (every node following `to`) or undone (`to` still a replica
 * of `from`, and no sentinels left without their master).
 */
export function switchoverFindings(view: ReplicationView, journals: SwitchoverJournalFile[], alive: (j: SwitchoverJournal) => boolean = writerAlive): Finding[] {
  const at = (a: string) => {
    const { host, port } = parseAddress(a);
    return nodeAt(view, host, port);
  };
  const follows = (a: string, m: string) => {
    const n = at(a);
    const { host, port } = parseAddress(m);
    return n?.replication.role === "replica" && n.replication.masterPort === port && (n.replication.masterHost === host || at(m)?.ip === n.replication.masterHost);
  };
  const out: Finding[] = [];
  for (const { journal: j } of journals) {
    const to = at(j.to);
    if (!to || !at(j.from) || alive(j)) continue;
    const when = `started ${j.startedAt} by pid ${j.pid}`;
    const s = j.sentinels;
    const monitor = (master: string) => (s ? callRef("sentinel_monitor", { master, name: s.name, quorum: String(s.quorum), downAfterMs: String(s.downAfterMs), failoverTimeoutMs: String(s.failoverTimeoutMs), parallelSyncs: String(s.parallelSyncs) }) : "");
    const laggards = [j.from, ...j.others].filter((a) => at(a) && !follows(a, j.to));
    if (to.replication.role === "master" && laggards.length === 0) continue; // finished
    if (follows(j.to, j.from)) {
      // Not promoted: roles as before; only sentinels can be left without their master.
      if (!s) continue;
      out.push({
        severity: "warning",
        code: "switchover_interrupted",
        message: `A switchover from ${j.from} to ${j.to} (${when}) stopped before the promotion: the roles are as before, but the sentinels may no longer monitor ${s.name}.`,
        next: `Check with ${toolRef("sentinel_check")}; if ${s.name} is gone, give it back: ${monitor(j.from)}.`,
        node: j.from,
      });
      continue;
    }
    out.push({
      severity: "error",
      code: "switchover_interrupted",
      message: `A switchover from ${j.from} to ${j.to} (${when}) stopped after ${j.to} was promoted: ${laggards.join(", ")} ${laggards.length === 1 ? "does" : "do"} not follow it yet${at(j.from)?.replication.role === "master" ? `, and ${j.from} is a master too (its pause has ended)` : ""}.`,
      next: `Finish it: ${callRef("replication_attach", { master: j.to, replicas: laggards.join(",") })} (writes ${j.from} took after the promotion are lost)${s ? `, then ${monitor(j.to)} (the sentinels were told to forget ${s.name})` : ""}.`,
      node: j.to,
    });
  }
  return out;
}
