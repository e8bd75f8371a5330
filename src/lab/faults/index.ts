/**
 * The fault API: kill -9, stop/start, restart, pause/unpause one node of a lab, and cut a
 * zone off from the others (then heal). Works on both backends; every fault is recorded
 * in the lab state, so `lab status` shows it and `lab down` undoes it.
 *
 *   await labFault("demo", "127.0.1.1:7001", "pause");
 *   await labPartition("demo", "z1");   // z1 <-/-> every other zone
 *   await labHeal("demo");
 */
import { LabError, LabNotFoundError, ValidationError } from "../../errors.js";
import { formatAddress, parseAddress } from "../../redis/address.js";
import { callRef, toolRef } from "../../registry/words.js";
import { labStateDir, loadLab, saveLab } from "../store.js";
import type { LabBackendName, LabNode, LabState, NodeFault } from "../types.js";
import { iptablesInstalled, removeChain, sweepOrphanChains, writeChain } from "./iptables.js";
import { localFaults } from "./local.js";
import { BUS_PORT_OFFSET } from "../ports.js";
import { chainName, chainRules, heal, isolate, type Cut, type CutMember } from "./partition-rules.js";
import type { NodeAction, NodeFaults } from "./types.js";
import { startFirst } from "./next-steps.js";

export { NODE_ACTIONS, type NodeAction, type NodeFaults } from "./types.js";
export type { Cut } from "./partition-rules.js";

export async function faultsFor(backend: LabBackendName): Promise<NodeFaults> {
  if (backend === "local") return localFaults;
  // The docker module pulls in dockerode; load it only for docker labs.
  return (await import("../docker/faults.js")).dockerFaults;
}

async function requireLab(name: string): Promise<LabState> {
  const state = await loadLab(name);
  if (!state) throw new LabNotFoundError(name);
  return state;
}

/** A lab member by HOST:PORT (a node or a sentinel), a node by its 0-based index, or a sentinel as s0, s1, ... */
export function findNode(state: LabState, ref: string | number): LabNode {
  const text = String(ref).trim();
  const sentinels = state.sentinels ?? [];
  let node: LabNode | undefined;
  if (/^\d+$/.test(text)) node = state.nodes.find((n) => n.index === Number(text));
  else if (/^s\d+$/.test(text)) node = sentinels.find((n) => n.index === Number(text.slice(1)));
  else if (text.includes(":")) {
    const wanted = formatAddress(parseAddress(text));
    node = [...state.nodes, ...sentinels].find((n) => formatAddress(n) === wanted);
  }
  if (!node) {
    const listed = [...state.nodes.map((n) => `${n.index}=${formatAddress(n)}`), ...sentinels.map((n) => `s${n.index}=${formatAddress(n)}`)];
    throw new ValidationError(`Lab ${state.name} has no node '${ref}' (nodes: ${listed.join(", ")}).`, `Name a node by HOST:PORT or by its index (a sentinel as s0, s1, ...); ${toolRef("lab_status")} lists them.`);
  }
  return node;
}

/** Refuses an action the node's recorded fault rules out, before anything is signalled. */
export function checkAction(lab: string, node: LabNode, action: NodeAction): void {
  const where = formatAddress(node);
  const down = node.fault === "killed" || node.fault === "stopped";
  const unpause = `Unpause it: ${callRef("lab_unpause", { node: where, lab })}.`;
  if (action === "start" && !down) throw new LabError(`Node ${where} is ${node.fault ?? "running"}, not stopped.`, node.fault === "paused" ? unpause : `Use ${toolRef("lab_restart")} to stop and start it.`);
  if ((action === "kill" || action === "stop" || action === "pause") && down) throw new LabError(`Node ${where} is already ${node.fault}.`, startFirst(lab, where));
  if (action === "pause" && node.fault === "paused") throw new LabError(`Node ${where} is already paused.`, unpause);
  if (action === "unpause" && node.fault !== "paused") throw new LabError(`Node ${where} is not paused.`, `Pause it first (${toolRef("lab_pause")}), or leave it as it is.`);
}

export interface NodeFaultResult {
  lab: string;
  action: NodeAction;
  node: { index: number; address: string; zone: string; fault?: NodeFault; pid?: number; containerId?: string };
  elapsedMs: number;
}

/** Saves one member's new record (found by its dir), re-reading the state first so a concurrent change to another is kept. */
async function saveNode(name: string, node: LabNode): Promise<void> {
  const fresh = await requireLab(name);
  const swap = (list: LabNode[]) => list.map((n) => (n.dir === node.dir ? node : n));
  fresh.nodes = swap(fresh.nodes);
  if (fresh.sentinels) fresh.sentinels = swap(fresh.sentinels);
  await saveLab(fresh);
}

function describe(node: LabNode): NodeFaultResult["node"] {
  const { index, zone, fault, pid, containerId } = node;
  return { index, address: formatAddress(node), zone, ...(fault ? { fault } : {}), ...(pid ? { pid } : {}), ...(containerId ? { containerId } : {}) };
}

/** What labFault would do, checked against the state but touching nothing (a dry run). */
export async function planFault(labName: string, ref: string | number, action: NodeAction): Promise<NodeFaultResult["node"]> {
  const node = findNode(await requireLab(labName), ref);
  if (action !== "restart") checkAction(labName, node, action);
  return describe(node);
}

/** Applies one node fault and records it; restart is stop (unless already down) then start. */
export async function labFault(labName: string, ref: string | number, action: NodeAction): Promise<NodeFaultResult> {
  const started = Date.now();
  const state = await requireLab(labName);
  let node = findNode(state, ref);
  const faults = await faultsFor(state.backend);
  if (action === "restart") {
    if (node.fault === "paused") node = await faults.unpause(state, node);
    if (node.fault === undefined) node = await faults.stop(state, node);
    await saveNode(labName, node);
    node = await faults.start(state, node);
  } else {
    checkAction(labName, node, action);
    node = await faults[action](state, node);
  }
  await saveNode(labName, node);
  return { lab: labName, action, node: describe(node), elapsedMs: Date.now() - started };
}

export interface PartitionResult {
  lab: string;
  /** Zone pairs cut apart after the call. */
  cuts: Cut[];
  /** The lab's iptables chain (present while any cut holds). */
  chain: string;
  elapsedMs: number;
}

/** Every process of the lab, sentinels included: a zone may hold only a sentinel. */
const members = (state: LabState): LabNode[] => [...state.nodes, ...(state.sentinels ?? [])];
/** What a cut isolates: every process with its ports (a cluster node's bus port too, nobody else's). */
export function cutMembers(state: LabState): CutMember[] {
  const busPort = (port: number) => (state.spec.cluster ? [port, port + BUS_PORT_OFFSET] : [port]);
  return [...state.nodes.map((n) => ({ host: n.host, zone: n.zone, ports: busPort(n.port) })), ...(state.sentinels ?? []).map((s) => ({ host: s.host, zone: s.zone, ports: [s.port] }))];
}

export const zonesOf = (state: LabState): string[] => [...new Set(members(state).map((n) => n.zone))].sort();

async function applyCuts(state: LabState, cuts: Cut[]): Promise<void> {
  const key = labStateDir(state.name);
  if (cuts.length === 0) {
    await removeChain(key);
    await saveLab({ ...state, cuts: [] });
    return;
  }
  // Record the intent before the rules exist, so a crash in between still lets down remove them.
  await saveLab({ ...state, cuts });
  await writeChain(key, chainRules(chainName(key), cuts, cutMembers(state)));
}

/** Cuts `zone` off from every other zone of the lab (cuts already made stay). */
export async function labPartition(labName: string, zone: string): Promise<PartitionResult> {
  const started = Date.now();
  const state = await requireLab(labName);
  const cuts = isolate(zone, zonesOf(state), state.cuts ?? []);
  await sweepOrphanChains();
  await applyCuts(state, cuts);
  return { lab: labName, cuts, chain: chainName(labStateDir(labName)), elapsedMs: Date.now() - started };
}

/** Heals the cuts touching `zone`, or all of them; with none left the chain is removed. */
export async function labHeal(labName: string, zone?: string): Promise<PartitionResult> {
  const started = Date.now();
  const state = await requireLab(labName);
  if (zone !== undefined && !zonesOf(state).includes(zone)) {
    throw new ValidationError(`Zone '${zone}' is not a zone of lab ${labName} (zones: ${zonesOf(state).join(", ")}).`, "Name one of the lab's zones, or leave the zone out to heal every cut.");
  }
  const cuts = heal(state.cuts ?? [], zone);
  await applyCuts(state, cuts);
  return { lab: labName, cuts, chain: chainName(labStateDir(labName)), elapsedMs: Date.now() - started };
}

/** For lab down: removes the lab's partition rules if it has any. Node faults are undone by the backend's stop. */
export async function undoPartitions(state: LabState): Promise<boolean> {
  if (!state.cuts?.length) return false;
  return removeChain(labStateDir(state.name));
}

/** For lab down --force of a lab whose state is unreadable (so cannot say whether it cut anything): removes its chain if there is one. */
export async function sweepPartitions(labName: string): Promise<void> {
  if (process.getuid?.() !== 0 || !iptablesInstalled()) return;
  await removeChain(labStateDir(labName));
}
