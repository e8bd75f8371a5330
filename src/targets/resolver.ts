/**
 * Resolves what a tool call names (a lab, a config target, or bare addresses) to
 * addresses + connection options, and enforces the mutation policy in one place:
 * labs are mutable; config targets only with allowMutations; bare addresses only when
 * they all belong to a lab, or when the caller is an operator at the CLI. Bare addresses
 * take the operator's credentials (CLI -a, --user, --tls) where no lab or target gives any.
 */
import { readFileSync } from "node:fs";
import { LabNotFoundError, MutationNotAllowedError, ValidationError } from "../errors.js";
import type { ConnectionOptions } from "../redis/connection.js";
import { formatAddress, parseAddress } from "../redis/address.js";
import { listLabs, loadLab } from "../lab/store.js";
import type { PilotConfig, TargetConfig } from "./config.js";

export interface TargetRef {
  lab?: string;
  target?: string;
  nodes?: string[];
}

export interface ResolvedTarget {
  kind: "lab" | "target" | "nodes";
  /** Lab or target name. */
  name?: string;
  addresses: string[];
  /** address -> zone label, when known. */
  zones: Record<string, string>;
  connection: ConnectionOptions;
  mutable: boolean;
}

export interface TargetResolver {
  resolve(ref: TargetRef, opts: { mutate: boolean }): Promise<ResolvedTarget>;
}

export interface ResolverOptions {
  config?: PilotConfig;
  /** CLI operator mode: bare addresses typed by the user may be changed. */
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

export function createResolver(opts: ResolverOptions = {}): TargetResolver {
  const targets = opts.config?.targets ?? {};
  return {
    async resolve(ref, { mutate }) {
      const named = [ref.lab, ref.target, ref.nodes?.length ? "nodes" : undefined].filter(Boolean);
      if (named.length !== 1) {
        throw new ValidationError("Name exactly one of lab, target or nodes.", "Pass lab: NAME, target: NAME, or nodes: [HOST:PORT, ...].");
      }
      if (ref.lab) {
        const lab = await loadLab(ref.lab);
        if (!lab) throw new LabNotFoundError(ref.lab);
        const addresses = lab.nodes.map((n) => formatAddress(n));
        return {
          kind: "lab",
          name: lab.name,
          addresses,
          zones: Object.fromEntries(lab.nodes.map((n) => [formatAddress(n), n.zone])),
          connection: { password: lab.password },
          mutable: true,
        };
      }
      if (ref.target) {
        const t = targets[ref.target];
        if (!t) {
          const known = Object.keys(targets);
          throw new ValidationError(
            `No target named '${ref.target}' in the config${known.length ? ` (known: ${known.join(", ")})` : ""}.`,
            "Add it under targets: in the config file, or pass --config.",
          );
        }
        if (mutate && !t.allowMutations) throw new MutationNotAllowedError(`Target '${ref.target}'`);
        return {
          kind: "target",
          name: ref.target,
          addresses: t.nodes.map((n) => formatAddress(parseAddress(n))),
          zones: t.zones ?? {},
          connection: connectionFor(t),
          mutable: t.allowMutations,
        };
      }
      const addresses = ref.nodes!.map((n) => formatAddress(parseAddress(n)));
      // Bare addresses that all belong to one lab are that lab's nodes.
      for (const lab of await listLabs()) {
        const own = new Map(lab.nodes.map((n) => [formatAddress(n), n.zone]));
        if (addresses.every((a) => own.has(a))) {
          return {
            kind: "lab",
            name: lab.name,
            addresses,
            // Every lab node's zone, not only the named ones: reads discover the rest as peers.
            zones: Object.fromEntries(own),
            connection: withAdhoc({ password: lab.password }, opts.adhocConnection),
            mutable: true,
          };
        }
      }
      // Bare addresses that belong to a config target take its credentials and policy.
      for (const [name, t] of Object.entries(targets)) {
        const own = new Set(t.nodes.map((n) => formatAddress(parseAddress(n))));
        if (addresses.some((a) => own.has(a))) {
          if (mutate && !t.allowMutations) throw new MutationNotAllowedError(`Target '${name}'`);
          return { kind: "target", name, addresses, zones: t.zones ?? {}, connection: withAdhoc(connectionFor(t), opts.adhocConnection), mutable: t.allowMutations };
        }
      }
      const mutable = opts.allowAdhocMutations ?? false;
      if (mutate && !mutable) throw new MutationNotAllowedError(`Servers ${addresses.join(", ")} (not a lab or a target)`);
      return { kind: "nodes", addresses, zones: {}, connection: { ...opts.adhocConnection }, mutable };
    },
  };
}
