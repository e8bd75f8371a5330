/**
 * Lab state on disk, so a later process (another CLI call, the MCP server, a test's
 * teardown) can find a lab's nodes and stop them by pid. One JSON file per lab at
 * <home>/labs/<name>/lab.json, mode 0600 because it may hold the lab password.
 * A state file that cannot be read (truncated, edited, wrong shape) breaks only its own
 * lab: loadLab names it with LabStateBrokenError, listLabs leaves it out, and
 * listLabEntries reports it, so `lab down NAME --force` can remove it.
 */
import { access, mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { LabStateBrokenError } from "../errors.js";
import { registerSecret } from "../secrets.js";
import { checkLabName, isLabName } from "./spec.js";
import type { LabState } from "./types.js";

const NodeSchema = z.looseObject({
  index: z.number().int().min(0),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  zone: z.string(),
  pid: z.number().int().positive().optional(),
  containerId: z.string().optional(),
  dir: z.string(),
});

const StateSchema = z.looseObject({
  name: z.string(),
  backend: z.enum(["local", "docker"]),
  spec: z.looseObject({ cluster: z.boolean(), zones: z.number().int(), passwordSet: z.boolean() }),
  dir: z.string(),
  createdAt: z.string(),
  nodes: z.array(NodeSchema),
  password: z.string().optional(),
});

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

/** The state in a lab.json text, or why it cannot be used (one clause, no contents: it may hold the password). */
export function parseLabState(text: string, name: string): LabState | { broken: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { broken: text.trim() === "" ? "it is empty" : "it is not valid JSON (truncated or edited?)" };
  }
  const r = StateSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { broken: `${issue.path.join(".") || "the file"} is missing or has the wrong type` };
  }
  if (r.data.name !== name) return { broken: `it names lab '${r.data.name.slice(0, 40)}'` };
  return r.data as unknown as LabState;
}

export async function loadLab(name: string): Promise<LabState | undefined> {
  let text: string;
  try {
    text = await readFile(statePath(name), "utf8");
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new LabStateBrokenError(name, statePath(name), `it cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const state = parseLabState(text, name);
  if ("broken" in state) throw new LabStateBrokenError(name, statePath(name), state.broken);
  // The lab password is a secret this process now knows: redacted wherever it could show.
  if (state.password) registerSecret(state.password);
  return state;
}

/** The raw text of a lab's state file, for salvaging what a broken one still names; undefined when absent. */
export async function readLabStateText(name: string): Promise<string | undefined> {
  return readFile(statePath(name), "utf8").catch(() => undefined);
}

export type LabEntry = { name: string; state: LabState } | { name: string; error: LabStateBrokenError };

/** Every lab directory, each with its state or why its state is unusable; claimed names still starting are left out. */
export async function listLabEntries(): Promise<LabEntry[]> {
  let names: string[];
  try {
    names = (await readdir(labsDir())).filter((n) => isLabName(n)).sort();
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const entries = await Promise.all(
    names.map(async (name): Promise<LabEntry | undefined> => {
      try {
        const state = await loadLab(name);
        return state ? { name, state } : undefined;
      } catch (err) {
        if (err instanceof LabStateBrokenError) return { name, error: err };
        throw err;
      }
    }),
  );
  return entries.filter((e): e is LabEntry => e !== undefined);
}

/** Every lab whose state can be read, by name; a broken one is left out (listLabEntries reports it). */
export async function listLabs(): Promise<LabState[]> {
  return (await listLabEntries()).flatMap((e) => ("state" in e ? [e.state] : []));
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
