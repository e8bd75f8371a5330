/**
 * The migration journal: the plan and which of its slots are done, one small JSON file
 * per migration, beside the lab state (labs/<name>/migrations/) or under the state home
 * for other clusters (migrations/). Written when a batch of slots closes (coalesced to
 * one write per 100 ms, atomically by rename), so after a crash it says which moves were
 * planned and which finished; cluster fix and a re-run of the same command read it.
 */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { labHome, labStateDir } from "../../lab/store.js";
import { mergeRanges, slotsToRanges, type SlotRange } from "../../redis/slots.js";
import type { MigrationPlan } from "./plan.js";

export type JournalState = "running" | "done" | "failed" | "cancelled" | "repaired" | "superseded";

export interface JournalFile {
  version: 1;
  plan: MigrationPlan;
  state: JournalState;
  pid: number;
  startedAt: string;
  updatedAt: string;
  /** Per move (same index as plan.moves): slots closed at their target. */
  done: SlotRange[][];
  /** Settings changed for the move (address -> setting -> original value), to put back after a crash. */
  restore?: Record<string, Record<string, string>>;
  /** Why the journal was closed, e.g. "resumed by 20250101T000000-abc123". */
  note?: string;
  error?: string;
}

/** Where a cluster's journals live: its lab's state dir, else the state home. */
export function journalDir(where: { lab?: string }): string {
  return where.lab ? join(labStateDir(where.lab), "migrations") : join(labHome(), "migrations");
}

const OPEN: JournalState[] = ["running", "failed", "cancelled"];
/** Plans this process is moving right now (an MCP server runs several calls at once). */
const inFlight = new Set<string>();

export class Journal {
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    readonly file: JournalFile,
  ) {}

  static async create(dir: string, plan: MigrationPlan): Promise<Journal> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const now = new Date().toISOString();
    const j = new Journal(join(dir, `${plan.id}.json`), { version: 1, plan, state: "running", pid: process.pid, startedAt: now, updatedAt: now, done: plan.moves.map(() => []) });
    inFlight.add(plan.id);
    await j.flush();
    return j;
  }

  /** Adopts an interrupted journal (resume, or fix closing it). */
  static adopt(path: string, file: JournalFile): Journal {
    return new Journal(path, file);
  }

  markDone(moveIndex: number, slots: number[]): void {
    this.file.done[moveIndex] = mergeRanges([...(this.file.done[moveIndex] ?? []), ...slotsToRanges(slots)]);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, 100);
  }

  async finish(state: JournalState, error?: string, note?: string): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.file.state = state;
    if (state !== "running") inFlight.delete(this.file.plan.id);
    if (error) this.file.error = error;
    if (note) this.file.note = note;
    await this.flush();
  }

  async recordRestore(restore: Record<string, Record<string, string>>): Promise<void> {
    this.file.restore = restore;
    await this.flush();
  }

  flush(): Promise<void> {
    this.file.updatedAt = new Date().toISOString();
    const text = JSON.stringify(this.file) + "\n";
    const tmp = `${this.path}.${process.pid}.tmp`;
    // Writes queue up, so an older snapshot never lands after a newer one.
    this.writing = this.writing.then(
      () => writeFile(tmp, text, { mode: 0o600 }).then(() => rename(tmp, this.path)),
      () => undefined,
    );
    return this.writing;
  }
}

/** Whether a journal's process is gone (it was killed, or the machine restarted). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Whether a running journal's process is still moving it (in this process: still in flight). */
function alive(f: JournalFile): boolean {
  return f.pid === process.pid ? inFlight.has(f.plan.id) : !processGone(f.pid);
}

async function readJournals(dir: string, nodeIds: Iterable<string>, keep: (f: JournalFile) => boolean): Promise<Journal[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  const ids = new Set(nodeIds);
  const found: Journal[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let file: JournalFile;
    try {
      file = JSON.parse(await readFile(path, "utf8")) as JournalFile;
    } catch {
      continue;
    }
    if (file.version !== 1 || !keep(file)) continue;
    if (!file.plan.moves.some((m) => ids.has(m.from) || ids.has(m.to))) continue;
    found.push(Journal.adopt(path, file));
  }
  return found.sort((a, b) => b.file.startedAt.localeCompare(a.file.startedAt));
}

/**
 * Journals of migrations that did not end cleanly and touch these node ids: failed,
 * cancelled, or running under a process that no longer exists. Newest first.
 */
export function openJournals(dir: string, nodeIds: Iterable<string>): Promise<Journal[]> {
  return readJournals(dir, nodeIds, (f) => OPEN.includes(f.state) && !(f.state === "running" && alive(f)));
}

/** Migrations running right now in another live process. */
export function runningJournals(dir: string, nodeIds: Iterable<string>): Promise<Journal[]> {
  return readJournals(dir, nodeIds, (f) => f.state === "running" && alive(f));
}
