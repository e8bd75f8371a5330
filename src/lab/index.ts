/**
 * The lab API every front end uses: up, status, down, list. Backends sit behind the
 * LabBackend interface; state is saved so any later process can find and stop a lab.
 */
import { LabBackendUnavailableError, LabError, LabExistsError, LabNotFoundError, LabStateBrokenError, ValidationError } from "../errors.js";
import { DockerBackend } from "./docker/backend.js";
import { sweepPartitions, undoPartitions } from "./faults/index.js";
import { formatAddress } from "../redis/address.js";
import { LocalBackend } from "./local.js";
import { registerSecret } from "../secrets.js";
import { normalizeSpec, type LabSpecInput } from "./spec.js";
import { findTemplate } from "./templates/index.js";
import { isLabReserved, listLabEntries, loadLab, readLabStateText, removeLab, reserveLab, saveLab } from "./store.js";
import type { DownReport, LabBackend, LabBackendName, LabNodeStatus, LabState } from "./types.js";
import { toolRef } from "../registry/words.js";

export { listLabEntries, listLabs, loadLab } from "./store.js";

/** Backends a forced down sweeps for a lab whose state no longer says which one it used. */
const BACKENDS: LabBackendName[] = ["local", "docker"];
export { normalizeSpec, placeNodes, type LabSpecInput } from "./spec.js";

export function backendFor(name: LabBackendName): LabBackend {
  if (name === "local") return new LocalBackend();
  if (name === "docker") return new DockerBackend();
  throw new LabBackendUnavailableError(name);
}

/** labUp's input: a spec, or a template name (which sets nodes, sentinels, zones and cluster mode). */
export type LabUpInput = Omit<LabSpecInput, "nodes"> & { nodes?: number; template?: string; replicas?: number };

/** The spec a lab-up input means: a template's lab (its nodes, sentinels, zones, cluster mode) or the input itself. */
export function specFor(input: LabUpInput): LabSpecInput {
  const { template, replicas, ...rest } = input;
  if (!template) return { ...rest, nodes: rest.nodes ?? 6 };
  const t = findTemplate(template).spec({ replicas });
  // The template sets the shape; directives the caller adds (e.g. min-replicas-to-write) go on top of its own.
  return { ...rest, ...t, config: { ...t.config, ...rest.config }, template };
}

/**
 * Starts a lab (defaults: cluster true, zones 1, backend "local", nodeTimeoutMs 15000)
 * and saves its state; with a template, builds its pattern through the same ops as on
 * real servers (verified) before saving. Refuses a name already in use.
 */
export async function labUp(input: LabUpInput, progress?: (msg: string) => void): Promise<LabState> {
  const spec = normalizeSpec(specFor(input));
  registerSecret(spec.password);
  const template = spec.template ? findTemplate(spec.template) : undefined;
  const backend = backendFor(spec.backend);
  if (!(await reserveLab(spec.name))) throw new LabExistsError(spec.name);
  let state: LabState | undefined;
  try {
    state = await backend.up(spec, progress);
    if (template) state.topology = await template.build(state, { progress: (e) => progress?.(e.message) });
    await saveLab(state);
    return state;
  } catch (err) {
    if (state) await backend.down(state);
    await removeLab(spec.name);
    throw err;
  }
}

export interface LabDownReport extends DownReport {
  name: string;
  /** The state was removed (the name is free): every node is down, or force was given. */
  stateRemoved: boolean;
  /** Why the state file was unusable, when it was (then only force removes it). */
  brokenState?: string;
}

/** Every path a broken state file still names (a JSON "dir" value), for the sweep. */
function pathsIn(text: string | undefined): string[] {
  return [...(text ?? "").matchAll(/"dir"\s*:\s*"((?:[^"\\]|\\.)+)"/g)].map((m) => m[1]).filter((p) => p.startsWith("/"));
}

/**
 * Stops every node of the lab by its own id and reports each. The state goes only when
 * every node is down, so a lab with a node left running can still be found; `force`
 * removes the state anyway, and is the only way to remove a lab whose state file is
 * broken (it stops whatever of that lab can still be identified first).
 */
export async function labDown(name: string, opts: { force?: boolean } = {}): Promise<LabDownReport> {
  let state: LabState | undefined;
  try {
    state = await loadLab(name);
  } catch (err) {
    if (!(err instanceof LabStateBrokenError)) throw err;
    if (!opts.force) throw err;
    const hints = pathsIn(await readLabStateText(name));
    const reports: DownReport[] = [];
    for (const b of BACKENDS) {
      let backend: LabBackend;
      try {
        backend = backendFor(b);
      } catch {
        continue;
      }
      try {
        reports.push(await backend.sweep(name, hints));
      } catch (e) {
        // No Docker engine: no container of this lab can run there.
        if ((e as { code?: string }).code !== "docker_unavailable") throw e;
      }
    }
    await sweepPartitions(name);
    await removeLab(name);
    const nodes = reports.flatMap((r) => r.nodes);
    const notes = reports.map((r) => r.dirNote).filter(Boolean);
    return { name, nodes, dirRemoved: reports.some((r) => r.dirRemoved), ...(notes.length ? { dirNote: notes.join("; ") } : {}), stateRemoved: true, brokenState: err.message };
  }
  if (!state) {
    // A claimed name without state is a start that was interrupted: free the name.
    if (await isLabReserved(name)) {
      await removeLab(name);
      return { name, nodes: [], dirRemoved: false, stateRemoved: true };
    }
    throw new LabNotFoundError(name);
  }
  await undoPartitions(state);
  const report = await backendFor(state.backend)
    .down(state)
    .catch((err: unknown) => unreachableEngineReport(state!, err, opts.force === true));
  const allDown = report.nodes.every((n) => n.outcome !== "not_stopped");
  if (allDown || opts.force) await removeLab(name);
  return { name, ...report, stateRemoved: allDown || opts.force === true };
}

/**
 * lab down --force of a docker lab whose engine is gone: its containers cannot be checked
 * or removed from here, so each node is reported not stopped and only the state goes.
 */
function unreachableEngineReport(state: LabState, err: unknown, force: boolean): DownReport {
  if (!force || (err as { code?: string }).code !== "docker_unavailable") throw err;
  const detail = `its container could not be checked or removed: ${(err as Error).message}`;
  return { nodes: [...state.nodes, ...(state.sentinels ?? [])].map((n) => ({ address: formatAddress(n), ...(n.containerId ? { containerId: n.containerId } : {}), outcome: "not_stopped" as const, detail })), dirRemoved: false, dirNote: "kept: the engine that ran its containers does not answer" };
}

export async function labStatus(name: string): Promise<{ state: LabState; nodes: LabNodeStatus[] }> {
  const state = await loadLab(name);
  if (!state) throw new LabNotFoundError(name);
  const nodes = await backendFor(state.backend).status(state);
  // The fault the lab applied says why a node is down (killed, stopped) or silent (paused).
  const members = [...state.nodes, ...(state.sentinels ?? [])];
  return { state, nodes: nodes.map((n, i) => (members[i]?.fault ? { ...n, fault: members[i].fault } : n)) };
}

/** The lab a call means: the given name, or the only lab there is. */
export async function resolveLabName(name?: string): Promise<string> {
  if (name) return name;
  const labs = await listLabEntries();
  if (labs.length === 1) return labs[0].name;
  if (labs.length === 0) throw new LabError("No lab is running.", `Start one with ${toolRef("lab_up")}.`);
  throw new ValidationError(`Several labs exist (${labs.map((l) => l.name).join(", ")}).`, "Name the lab you mean.");
}
