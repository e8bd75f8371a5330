/**
 * Lab state on disk, so a later process (another CLI call, the MCP server, a test's
 * teardown) can find a lab's nodes and stop them by pid. One JSON file per lab at
 * <home>/labs/<name>/lab.json, mode 0600 because it may hold the lab password.
 */
import { access, mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { LabError } from "../errors.js";
import { checkLabName, isLabName } from "./spec.js";
import type { LabState } from "./types.js";

/** REDIS_PILOT_HOME, else ~/.redis-pilot. Read on every call so tests can point it elsewhere. */
export function labHome(): string {
  return process.env.REDIS_PILOT_HOME || join(homedir(), ".redis-pilot");
}

export function labsDir(): string {
  return join(labHome(), "labs");
}

/** The lab's state directory (holds lab.json; node data lives in a temp dir elsewhere). */
export function labStateDir(name: string): string {
  // The name becomes a path: refuse anything that is not a plain lab name.
  return join(labsDir(), checkLabName(name));
}

function statePath(name: string): string {
  return join(labStateDir(name), "lab.json");
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === "ENOENT";
}

export async function saveLab(state: LabState): Promise<void> {
  const dir = labStateDir(state.name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Write then rename, so a reader never sees half a file.
  const tmp = join(dir, `lab.json.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  await rename(tmp, statePath(state.name));
}

export async function loadLab(name: string): Promise<LabState | undefined> {
  let text: string;
  try {
    text = await readFile(statePath(name), "utf8");
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const state = JSON.parse(text) as LabState;
  if (state.name !== name || !Array.isArray(state.nodes)) {
    throw new LabError(`The state file ${statePath(name)} is malformed.`, `Stop its redis-server processes by pid if any run, then delete ${labStateDir(name)}.`);
  }
  return state;
}

/** Every saved lab, by name. */
export async function listLabs(): Promise<LabState[]> {
  let names: string[];
  try {
    names = (await readdir(labsDir())).filter((n) => isLabName(n)).sort();
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const states = await Promise.all(names.map((n) => loadLab(n)));
  return states.filter((s): s is LabState => s !== undefined);
}

/**
 * Claims a lab name before its nodes start: mkdir is atomic, so of two processes starting
 * the same name at once exactly one wins. False when the name is taken (or being started).
 */
export async function reserveLab(name: string): Promise<boolean> {
  await mkdir(labsDir(), { recursive: true, mode: 0o700 });
  try {
    await mkdir(labStateDir(name), { mode: 0o700 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

/** True when the name is claimed, with or without a saved state (an interrupted start). */
export async function isLabReserved(name: string): Promise<boolean> {
  try {
    await access(labStateDir(name));
    return true;
  } catch {
    return false;
  }
}

export async function removeLab(name: string): Promise<void> {
  await rm(labStateDir(name), { recursive: true, force: true });
}
