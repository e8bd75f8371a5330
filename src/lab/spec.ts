/**
 * Lab specs: defaults, validation and node placement. Pure, shared by every backend,
 * so a docker lab places its nodes exactly like a local one.
 */
import { ValidationError, quoted } from "../errors.js";
import type { LabSpec } from "./types.js";

export const LAB_NAME_PATTERN = /^[a-z0-9-]{1,40}$/;
export const MAX_LAB_NODES = 64;
export const MAX_LAB_SENTINELS = 9;

export type LabSpecInput = Partial<LabSpec> & { name: string; nodes: number };

export const isLabName = (name: string): boolean => LAB_NAME_PATTERN.test(name);

/** Returns name when it is a valid lab name, else throws a ValidationError naming it. */
export function checkLabName(name: string): string {
  if (!isLabName(name)) {
    throw new ValidationError(`Lab name ${quoted(name)} is not allowed: use 1-40 characters from a-z, 0-9 and '-'.`, "Pick a name like 'demo' or 'zones-2'.");
  }
  return name;
}

function checkInteger(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${what} must be a whole number from ${min} to ${max}, got ${value}.`, `Pass ${what} between ${min} and ${max}.`);
  }
}

/** Fills defaults (cluster on, 1 zone, local backend, 15 s node timeout) and validates. */
export function normalizeSpec(input: LabSpecInput): LabSpec {
  const spec: LabSpec = {
    ...input,
    cluster: input.cluster ?? true,
    zones: input.zones ?? 1,
    backend: input.backend ?? "local",
    nodeTimeoutMs: input.nodeTimeoutMs ?? 15000,
  };
  checkLabName(spec.name);
  checkInteger("nodes", spec.nodes, 1, MAX_LAB_NODES);
  checkInteger("zones", spec.zones, 1, spec.nodes + (spec.sentinels ?? 0));
  checkInteger("nodeTimeoutMs", spec.nodeTimeoutMs, 100, 3_600_000);
  checkInteger("sentinels", spec.sentinels ?? 0, 0, MAX_LAB_SENTINELS);
  if (spec.password !== undefined && (spec.password === "" || /[\s"'\\]/.test(spec.password))) {
    // The password goes into redis.conf; quoting rules there are not worth the risk.
    throw new ValidationError("The lab password must be non-empty and contain no spaces, quotes or backslashes.", "Pick a password of letters, digits and punctuation.");
  }
  return spec;
}

export interface NodePlacement {
  index: number;
  host: string;
  /** "z1", "z2", ... */
  zone: string;
}

/**
 * Node i goes to zone z = (i % zones) + 1 and host 127.0.z.h, h = 1, 2, ... within the
 * zone, so every node is its own "host" and zones are loopback subnets.
 */
export function placeNodes(nodes: number, zones: number): NodePlacement[] {
  const perZone = new Map<number, number>();
  return Array.from({ length: nodes }, (_, index) => {
    const z = (index % zones) + 1;
    const h = (perZone.get(z) ?? 0) + 1;
    perZone.set(z, h);
    return { index, host: `127.0.${z}.${h}`, zone: `z${z}` };
  });
}

/**
 * Sentinel i goes to zone (i % zones) + 1, on the next free host of that zone after the
 * nodes there: its own loopback address, so placement checks can tell it from a node.
 */
export function placeSentinels(count: number, zones: number, nodes: NodePlacement[]): NodePlacement[] {
  const used = new Map<number, number>();
  for (const n of nodes) {
    const z = Number(n.zone.slice(1));
    used.set(z, Math.max(used.get(z) ?? 0, Number(n.host.split(".")[3])));
  }
  return Array.from({ length: count }, (_, index) => {
    const z = (index % zones) + 1;
    const h = (used.get(z) ?? 0) + 1;
    used.set(z, h);
    return { index, host: `127.0.${z}.${h}`, zone: `z${z}` };
  });
}
