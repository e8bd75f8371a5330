/**
 * Resolves what a tool call names (a lab, a config target, or bare addresses) to its
 * nodes and a NodeAccess, and enforces the mutation policy in one place:
 *
 * - every address is resolved to IP:port and matched to its owner (owners.ts), so
 *   "localhost:7000" and "127.0.0.1:7000" are one node whatever the spelling;
 * - each node gets its own owner's credentials only (access.ts): a target's password
 *   goes to that target's nodes and to peers its own nodes report, never to an address
 *   the caller added; bare addresses get the operator's credentials (CLI -a, --user,
 *   --tls), which also fill what a lab or target leaves unset;
 * - a mutating call is refused, before anything is touched, when any node it names or
 *   later admits is not mutable: labs are; targets only with allowMutations; bare
 *   addresses only for the CLI operator who typed them, or when the config's
 *   bareAddresses.allowMutations says so. A node several owners list is mutable only
 *   when all of them allow it. invokeTool resolves every mutating tool's nodes with
 *   mutate: true, dry runs included.
 */
import { readFileSync } from "node:fs";
import { LabNotFoundError, ValidationError, quoted } from "../errors.js";
import type { ConnectionOptions } from "../redis/connection.js";
import { formatAddress, parseAddress } from "../redis/address.js";
import type { NodeAccess, Owner } from "../redis/node-access.js";
import { listLabs, loadLab } from "../lab/store.js";
import type { LabState } from "../lab/types.js";
import type { PilotConfig, TargetConfig } from "./config.js";
import { ResolvedAccess } from "./access.js";
import { buildOwnerIndex } from "./owners.js";
import { argRef } from "../registry/words.js";

export interface TargetRef {
  lab?: string;
  target?: string;
  nodes?: string[];
}

export interface ResolvedTarget {
  kind: "lab" | "target" | "nodes";
  /** Lab or target name. */
  name?: string;
  /** The named nodes, as named (a target's seeds, a lab's nodes, or the bare addresses). */
  addresses: string[];
  /** address -> zone label, for the named nodes whose owner gives one. */
  zones: Record<string, string>;
  /** Per-node credentials, pinned IPs and policy; admit discovered peers through it. */
  access: NodeAccess;
  /** Every named node may be changed. */
  mutable: boolean;
}

export interface TargetResolver {
  resolve(ref: TargetRef, opts: { mutate: boolean }): Promise<ResolvedTarget>;
}

export interface ResolverOptions {
  config?: PilotConfig;
  /**
   * Bare addresses may be changed: true for the CLI operator (who typed them), false to
   * forbid; undefined leaves it to the config's bareAddresses.allowMutations (default false).
   */
  allowAdhocMutations?: boolean;
  /** Credentials the operator gave for bare addresses (CLI -a / REDISCLI_AUTH, --user, --tls). */
  adhocConnection?: ConnectionOptions;
}

/** The lab's or target's own credentials, with the operator's filling only what they leave unset. */
function withAdhoc(own: ConnectionOptions, adhoc: ConnectionOptions | undefined): ConnectionOptions {
  const set = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined));
  return { ...adhoc, ...set };
}

function connectionFor(t: TargetConfig): ConnectionOptions {
  const tls =
    t.tls === undefined || t.tls === false
      ? undefined
      : t.tls === true
        ? {}
        : {
            ca: t.tls.caFile ? readFileSync(t.tls.caFile) : undefined,
            cert: t.tls.certFile ? readFileSync(t.tls.certFile) : undefined,
            key: t.tls.keyFile ? readFileSync(t.tls.keyFile) : undefined,
            servername: t.tls.servername,
            rejectUnauthorized: t.tls.rejectUnauthorized,
          };
  return {
    username: t.username,
    password: t.passwordEnv ? process.env[t.passwordEnv] : undefined,
    tls,
    connectTimeoutMs: t.connectTimeoutMs,
    commandTimeoutMs: t.commandTimeoutMs,
  };
}

function unknownTarget(name: string, targets: Record<string, TargetConfig>): ValidationError {
  const known = Object.keys(targets);
  return new ValidationError(
    `No target named ${quoted(name)} in the config${known.length ? ` (known: ${known.join(", ")})` : ""}.`,
    "Add it under targets: in the config file, or pass --config.",
  );
}

export function createResolver(opts: ResolverOptions = {}): TargetResolver {
  const targets = opts.config?.targets ?? {};
  const bareMutable = opts.allowAdhocMutations ?? opts.config?.bareAddresses?.allowMutations ?? false;
  return {
    async resolve(ref, { mutate }) {
      const named = [ref.lab, ref.target, ref.nodes?.length ? "nodes" : undefined].filter(Boolean);
      if (named.length !== 1) {
        throw new ValidationError(
          `Name exactly one of ${argRef("lab")}, ${argRef("target")} or ${argRef("nodes")}.`,
          `Pass ${argRef("lab", "NAME")}, ${argRef("target", "NAME")}, or ${argRef("nodes", "[HOST:PORT, ...]")}.`,
        );
      }
      let lab: LabState | undefined;
      if (ref.lab) {
        lab = await loadLab(ref.lab);
        if (!lab) throw new LabNotFoundError(ref.lab);
      }
      if (ref.target && !targets[ref.target]) throw unknownTarget(ref.target, targets);
      // Every address is checked before any is contacted: parse them all first.
      const addresses = lab
        ? lab.nodes.map((n) => formatAddress(n))
        : (ref.target ? targets[ref.target].nodes : ref.nodes!).map((n) => formatAddress(parseAddress(n)));

      const labs = await listLabs();
      if (lab && !labs.some((l) => l.name === lab.name)) labs.push(lab);
      const index = await buildOwnerIndex(labs, opts.config);
      const labsByName = new Map(labs.map((l) => [l.name, l]));
      const credentials = (owner: Owner): ConnectionOptions => {
        if (owner.kind === "lab") return withAdhoc({ password: labsByName.get(owner.name)?.password }, opts.adhocConnection);
        if (owner.kind === "target") return withAdhoc(connectionFor(targets[owner.name]), opts.adhocConnection);
        return { ...opts.adhocConnection };
      };
      const access = new ResolvedAccess({ index, mutate, bareMutable, credentials });
      const owner: Owner | undefined = lab ? { kind: "lab", name: lab.name } : ref.target ? { kind: "target", name: ref.target } : undefined;
      const grants = [];
      // In order, so a refusal names the first node that may not change.
      for (const a of addresses) grants.push(await access.name(a, owner));
      const zones = Object.fromEntries(grants.filter((g) => g.zone !== undefined).map((g) => [g.address, g.zone!]));
      return {
        kind: lab ? "lab" : ref.target ? "target" : "nodes",
        ...(lab ? { name: lab.name } : ref.target ? { name: ref.target } : {}),
        addresses,
        zones,
        access,
        mutable: grants.every((g) => g.mutable),
      };
    },
  };
}
