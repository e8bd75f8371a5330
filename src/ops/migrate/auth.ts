/** MIGRATE's own credentials for the target: AUTH2 user pass, AUTH pass, or nothing. */
import type { ConnectionOptions } from "../../redis/connection.js";
import type { NodeAccess } from "../../redis/node-access.js";
import type { SlotRepair } from "./slot-repair.js";

export function migrateAuthArgs(c: ConnectionOptions): string[] {
  if (c.password === undefined || c.password === "") return [];
  return c.username ? ["AUTH2", c.username, c.password] : ["AUTH", c.password];
}

/** MIGRATE's AUTH for a move: the target's credentials, sent to the source, so access.forward decides whether they may go there. */
export type MigrateAuth = (to: string, from: string) => string[];

export const migrateAuthFor =
  (access: NodeAccess): MigrateAuth =>
  (to, from) =>
    migrateAuthArgs(access.forward(to, from, "in MIGRATE's AUTH"));

/** Checks every pair of repairs before any is applied (a refusal changes nothing). */
export function checkRepairAuth(auth: MigrateAuth, repairs: SlotRepair[]): void {
  for (const r of repairs) for (const m of r.moveFrom) auth(r.ownerAddress, m.address);
}
