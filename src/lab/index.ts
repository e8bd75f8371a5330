/**
 * The lab API every front end uses: up, status, down, list. Backends sit behind the
 * LabBackend interface; state is saved so any later process can find and stop a lab.
 */
import { LabBackendUnavailableError, LabError, LabExistsError, LabNotFoundError, ValidationError } from "../errors.js";
import { DockerBackend } from "./docker/backend.js";
import { undoPartitions } from "./faults/index.js";
import { LocalBackend } from "./local.js";
import { normalizeSpec, type LabSpecInput } from "./spec.js";
import { findTemplate } from "./templates/index.js";
import { isLabReserved, listLabs, loadLab, removeLab, reserveLab, saveLab } from "./store.js";
import type { LabBackend, LabBackendName, LabNodeStatus, LabState } from "./types.js";

export { listLabs, loadLab } from "./store.js";
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
  return { ...rest, ...findTemplate(template).spec({ replicas }), template };
}

/**
 * Starts a lab (defaults: cluster true, zones 1, backend "local", nodeTimeoutMs 15000)
 * and saves its state; with a template, builds its pattern through the same ops as on
 * real servers (verified) before saving. Refuses a name already in use.
 */
export async function labUp(input: LabUpInput, progress?: (msg: string) => void): Promise<LabState> {
  const spec = normalizeSpec(specFor(input));
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

/** Removes the lab's partition rules, stops every node by pid (or container id), removes its data dir, then its state. */
export async function labDown(name: string): Promise<void> {
  const state = await loadLab(name);
  if (!state) {
    // A claimed name without state is a start that was interrupted: free the name.
    if (await isLabReserved(name)) return removeLab(name);
    throw new LabNotFoundError(name);
  }
  await undoPartitions(state);
  await backendFor(state.backend).down(state);
  await removeLab(name);
}

export async function labStatus(name: string): Promise<{ state: LabState; nodes: LabNodeStatus[] }> {
  const state = await loadLab(name);
  if (!state) throw new LabNotFoundError(name);
  const nodes = await backendFor(state.backend).status(state);
  // The fault the lab applied says why a node is down (killed, stopped) or silent (paused).
  return { state, nodes: nodes.map((n, i) => (state.nodes[i]?.fault ? { ...n, fault: state.nodes[i].fault } : n)) };
}

/** The lab a call means: the given name, or the only lab there is. */
export async function resolveLabName(name?: string): Promise<string> {
  if (name) return name;
  const labs = await listLabs();
  if (labs.length === 1) return labs[0].name;
  if (labs.length === 0) throw new LabError("No lab is running.", "Start one with 'redis-pilot lab up'.");
  throw new ValidationError(`Several labs exist (${labs.map((l) => l.name).join(", ")}).`, "Name the lab you mean.");
}
