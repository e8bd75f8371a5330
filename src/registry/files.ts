/**
 * Files a tool writes because an argument names them (a drill's --history and --svg, a
 * reshard's --plan-out). At the CLI the operator types the path: anywhere they may
 * write. Over MCP, from the agent, and in a runbook that runbook_run started, a model or
 * its caller picks it: then the file goes under one directory, <REDIS_PILOT_HOME>/files,
 * and a path outside it (absolute, `..`, a symlink) is refused before the tool runs, so
 * a prompt injection cannot overwrite ~/.bashrc with a drill's history.
 *
 *   history: outputFileField("Write every run's history (JSON) to this file."),
 *   // invokeTool rewrites it to the path the policy allows, or refuses the call.
 */
import { lstat, mkdir, realpath } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { z } from "zod";
import { ValidationError, quoted } from "../errors.js";
import { labHome } from "../lab/store.js";
import { argRef } from "./words.js";

export interface FilePolicy {
  /** The absolute path the tool may write for `requested` (argument `field`), or a ValidationError. */
  writable(requested: string, field: string): Promise<string>;
  /** The absolute path the tool may read for `requested` (a file a tool wrote before, e.g. a saved plan). */
  readable(requested: string, field: string): Promise<string>;
}

const FILE_FIELDS = new WeakMap<z.ZodType, "read" | "write">();

/** An optional input field naming a file the tool writes; front ends apply their FilePolicy to it. */
export function outputFileField(description: string): z.ZodOptional<z.ZodString> {
  const field = z.string().min(1).optional().describe(description);
  FILE_FIELDS.set(field, "write");
  return field;
}

/** An optional input field naming a file the tool reads back (one a tool wrote, e.g. a saved plan). */
export function inputFileField(description: string): z.ZodOptional<z.ZodString> {
  const field = z.string().min(1).optional().describe(description);
  FILE_FIELDS.set(field, "read");
  return field;
}

/** "write", "read", or undefined for a field that names no file. */
export const fileFieldKind = (schema: unknown): "read" | "write" | undefined => FILE_FIELDS.get(schema as z.ZodType);

/** The operator's own shell: the path as typed, relative to the working directory. */
export const anywhere: FilePolicy = { writable: async (p) => resolve(p), readable: async (p) => resolve(p) };

export const filesDir = (): string => join(labHome(), "files");

/** Paths relative to dir, never out of it: no `..`, no absolute path elsewhere, no symlink at the file or on the way. */
export function underDir(dir: () => string = filesDir): FilePolicy {
  const place = async (requested: string, field: string) => {
    const root = dir();
    await mkdir(root, { recursive: true, mode: 0o700 });
    const real = await realpath(root);
    const inside = (base: string, p: string) => p === base || (!relative(base, p).startsWith("..") && !isAbsolute(relative(base, p)));
    const within = (p: string) => inside(real, p);
    const refuse = (why: string) =>
      new ValidationError(
        `${argRef(field)} ${quoted(requested)} ${why}: files named by a tool call are kept in ${real} here.`,
        `Pass a file name, e.g. ${argRef(field, "plan.json")}; it is kept in ${real}.`,
      );
    // An absolute path may name the directory by its real path or as configured.
    const asked = resolve(root, requested);
    const base = within(asked) ? real : inside(root, asked) ? root : undefined;
    if (!base || asked === base) throw refuse("lies outside that directory");
    const wanted = join(real, relative(base, asked));
    // No directory is created on the way (one might be a symlink out): the parent must exist, inside.
    const parent = await realpath(resolve(wanted, "..")).catch(() => undefined);
    if (!parent) throw refuse("names a directory that does not exist");
    if (!within(parent)) throw refuse("leads outside that directory");
    return { file: join(parent, basename(wanted)), within, refuse };
  };
  return {
    async writable(requested, field) {
      const { file, refuse } = await place(requested, field);
      if (await lstat(file).then((s) => s.isSymbolicLink(), () => false)) throw refuse("is a symbolic link");
      return file;
    },
    async readable(requested, field) {
      const { file, within, refuse } = await place(requested, field);
      const target = await realpath(file).catch(() => file);
      if (!within(target)) throw refuse("leads outside that directory");
      return file;
    },
  };
}
