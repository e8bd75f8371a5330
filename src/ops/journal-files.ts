/**
 * Journals that one process writes so a later one can finish its work (cluster create's
 * build settings, a switchover): one JSON file per run, <dir>/<started>-<pid>.json,
 * written atomically, and found again in the user's state dir and in every lab's.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { labHome, labsDir } from "../lab/store.js";

export interface JournalFileOf<J> {
  path: string;
  journal: J;
}

/** Writes (or rewrites) the journal: write, then rename, so a reader never sees half a file. Returns its path. */
export async function writeJournalFile(dir: string, journal: { startedAt: string; pid: number }): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${journal.startedAt.replace(/[:.]/g, "")}-${journal.pid}.json`);
  await writeFile(`${path}.tmp`, JSON.stringify(journal, null, 2) + "\n", { mode: 0o600 });
  await rename(`${path}.tmp`, path);
  return path;
}

export const removeJournalFile = (path: string): Promise<void> => rm(path, { force: true });

async function readDir<J>(dir: string, isJournal: (j: unknown) => j is J): Promise<JournalFileOf<J>[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = await Promise.all(
    names
      .filter((n) => n.endsWith(".json"))
      .map(async (n) => {
        try {
          const journal: unknown = JSON.parse(await readFile(join(dir, n), "utf8"));
          return isJournal(journal) ? [{ path: join(dir, n), journal }] : [];
        } catch {
          return [];
        }
      }),
  );
  return files.flat();
}

/** Every journal in folder `sub` on this machine: the user's state dir and every lab's; files that are not journals of this kind are passed over. */
export async function readJournalFiles<J>(sub: string, isJournal: (j: unknown) => j is J): Promise<JournalFileOf<J>[]> {
  const labs = await readdir(labsDir()).catch(() => [] as string[]);
  const dirs = [join(labHome(), sub), ...labs.map((l) => join(labsDir(), l, sub))];
  return (await Promise.all(dirs.map((d) => readDir(d, isJournal)))).flat();
}
