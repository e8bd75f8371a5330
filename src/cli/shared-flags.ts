/**
 * The flags every tool verb shares, defined once: --json on every verb; --dry-run and
 * --yes on every verb that changes something; --lab and --target where the tool names
 * its servers, with redis-cli's credential flags (credentials.ts) for HOST:PORT nodes.
 * Each maps to the tool's input field of the same meaning (dryRun, confirm, lab, target).
 */
import { Option, type Command } from "commander";
import { addCredentialOptions } from "./credentials.js";

/** Input fields the CLI spells its own way, the same for every tool. */
export const SHARED_FIELDS: Record<string, { flags: string; description: string }> = {
  lab: { flags: "--lab <name>", description: "act on the nodes of this lab (from 'redis-pilot lab up')" },
  target: { flags: "--target <name>", description: "act on this target from the config file" },
  dryRun: { flags: "--dry-run", description: "run the read-only checks and print the plan; change nothing" },
  confirm: { flags: "--yes", description: "do not ask for confirmation" },
};

/** The option for a shared field; undefined when the field is not one of them. */
export function sharedOption(field: string): Option | undefined {
  const s = SHARED_FIELDS[field];
  return s ? new Option(s.flags, s.description) : undefined;
}

export interface SharedNeeds {
  /** The tool changes servers: --yes is offered even when it has no confirm field (nothing to confirm then). */
  mutating: boolean;
  /** The tool takes HOST:PORT nodes: redis-cli's credential flags. */
  nodes: boolean;
  /** Fields the tool already turned into options (e.g. its confirm field as --yes). */
  has: (flag: string) => boolean;
}

/** Adds --json, --yes for mutating tools without a confirm field, and credential flags. */
export function addSharedFlags(cmd: Command, needs: SharedNeeds): Command {
  cmd.option("--json", "print the structured result");
  if (needs.mutating && !needs.has("--yes")) cmd.addOption(new Option(SHARED_FIELDS.confirm.flags, SHARED_FIELDS.confirm.description));
  if (needs.nodes) addCredentialOptions(cmd);
  return cmd;
}
