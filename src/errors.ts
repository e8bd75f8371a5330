import { redactText } from "./secrets.js";

/**
 * Errors a user can act on. Each carries one sentence saying what is wrong and one
 * saying what to do next; front ends render them with `renderError` and never show
 * a stack trace for these. Anything that is not a PilotError is a bug. A tool or an
 * argument named in a message is a reference (src/registry/words.ts), which each front
 * end says in its own words.
 */
import { againRef, argRef, callRef, speak, toolRef, type Words } from "./registry/words.js";

export class PilotError extends Error {
  readonly code: string;
  readonly next: string;
  readonly details?: unknown;

  constructor(code: string, message: string, next: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.next = next;
    this.details = details;
  }
}

export class ValidationError extends PilotError {
  constructor(message: string, next = "Fix the arguments and try again.", details?: unknown) {
    super("invalid_input", message, next, details);
  }
}

export class UnreachableError extends PilotError {
  constructor(readonly address: string, cause: string) {
    super("unreachable", `Cannot reach ${address}: ${cause}.`, `Check that the server at ${address} is running and reachable, then retry.`);
  }
}

/** Something answered at the address, but not in the Redis protocol. */
export class NotRedisError extends PilotError {
  constructor(readonly address: string, sample: string) {
    super(
      "not_redis",
      `${address} answered, but not in the Redis protocol${sample ? ` (it began with ${sample})` : ""}: it is not a Redis server, or it expects TLS.`,
      `Check that ${address} is the Redis server you mean (and add --tls, or tls in its target, if it uses TLS).`,
    );
  }
}

/** A reply larger than any our commands read: the connection was closed to keep memory bounded. */
export class ReplyTooLargeError extends PilotError {
  constructor(readonly address: string, limit: number, what: string) {
    super(
      "reply_too_large",
      `${address} sent more than ${Math.round(limit / 1024 / 1024)} MiB for ${what}, so its connection was closed.`,
      `No Redis reply to these commands is that large: check that ${address} is the Redis server you mean.`,
    );
  }
}

export class AuthError extends PilotError {
  constructor(readonly address: string) {
    super("auth_failed", `Authentication failed at ${address}.`, "Check the username and password (or the target's credential env variable) and retry.");
  }
}

export class NotClusterEnabledError extends PilotError {
  constructor(readonly address: string) {
    super("not_cluster_enabled", `${address} is not running with cluster-enabled yes.`, `A plain master or replica is read with ${toolRef("replication_check")} (${toolRef("sentinel_check")} for the sentinels that watch it); for a cluster, restart ${address} with 'cluster-enabled yes' in its config, or leave it out.`);
  }
}

export class NotEmptyError extends PilotError {
  constructor(readonly address: string, what: string) {
    super("not_empty", `${address} is not empty: ${what}.`, `Use an empty node, or empty it first (FLUSHALL and CLUSTER RESET) if its data is not needed.`);
  }
}

export class DuplicateNodeError extends PilotError {
  constructor(readonly address: string) {
    super("duplicate_node", `${address} is listed more than once.`, "List each node once.");
  }
}

export class TooFewNodesError extends PilotError {
  constructor(message: string, next: string) {
    super("too_few_nodes", message, next);
  }
}

export class RedisServerMissingError extends PilotError {
  constructor(installHint: string) {
    super("redis_server_missing", "redis-server was not found on PATH or in REDIS_SERVER.", installHint);
  }
}

export class LabError extends PilotError {
  constructor(message: string, next: string) {
    super("lab_error", message, next);
  }
}

/** A lab whose state file cannot be read: only that lab is affected. */
export class LabStateBrokenError extends PilotError {
  constructor(readonly lab: string, readonly file: string, why: string) {
    super("lab_state_broken", `The state file of lab '${lab}' (${file}) cannot be used: ${why}.`, `Stop what is left of it and remove it with ${callRef("lab_down", { name: lab, force: "true" })}.`);
  }
}

export class LabNotFoundError extends PilotError {
  constructor(readonly lab: string) {
    super("lab_not_found", `No lab named '${lab}' is running.`, `List the labs with ${toolRef("lab_list")}, or start one with ${toolRef("lab_up")}.`);
  }
}

export class LabExistsError extends PilotError {
  constructor(readonly lab: string) {
    super("lab_exists", `A lab named '${lab}' already exists.`, `Stop it with ${callRef("lab_down", { name: lab })}, or pick another name.`);
  }
}

export class LabBackendUnavailableError extends PilotError {
  constructor(readonly backend: string) {
    super("lab_backend_unavailable", `The '${backend}' lab backend is not available yet.`, "Use the 'local' backend (the default), which needs only redis-server.");
  }
}

/** The docker lab backend found no engine to talk to. */
export class DockerUnavailableError extends PilotError {
  constructor(readonly engine: string, cause: string) {
    super(
      "docker_unavailable",
      `No Docker engine answers at ${engine} (${cause}).`,
      "Start Docker (Docker Desktop, or dockerd as root), point DOCKER_HOST at a running engine, or use the local backend (the default), which needs only redis-server.",
    );
  }
}

export class MutationNotAllowedError extends PilotError {
  /** `message` names the node and its owner (src/targets/access.ts words it). */
  constructor(message: string, next = "Use a lab, or name the servers in a config target with allowMutations: true.") {
    super("mutation_not_allowed", message, next);
  }
}

/** A node's credentials would be handed to a server of another owner (masterauth, auth-pass, MIGRATE AUTH). */
export class CredentialsNotForwardedError extends PilotError {
  constructor(message: string, next: string) {
    super("credentials_not_forwarded", message, next);
  }
}

export class ConfirmationRequiredError extends PilotError {
  constructor(tool: string) {
    super("confirmation_required", `${toolRef(tool)} is destructive and was not confirmed.`, `Review the plan, then ${againRef(tool, { confirm: "true" })}.`);
  }
}

/** The op ran but re-reading the servers did not prove its postcondition. */
export class VerificationFailedError extends PilotError {
  constructor(message: string, readonly findings: unknown[]) {
    super("verification_failed", message, `Run ${toolRef("cluster_check")} to see every finding, fix what it names, and retry.`, findings);
  }
}

export class TimeoutError extends PilotError {
  constructor(what: string, ms: number) {
    super("timeout", `${what} did not happen within ${ms} ms.`, `Check the nodes with ${toolRef("cluster_check")}; if the servers are only slow, raise ${argRef("timeoutMs", undefined, "cluster_check")}.`);
  }
}

/**
 * A node too busy to answer a read an op needs before changing anything (a long command,
 * a fork, swapping, a paused process): the op was retried with backoff, then stopped.
 * `timeoutArg` says whether `tool` takes timeoutMs (then raising it is the other way out).
 */
export class NodeBusyError extends PilotError {
  constructor(readonly address: string, what: string, why: string, attempts: number, o: { tool: string; timeoutArg?: boolean }) {
    super(
      "node_busy",
      `${address} did not answer ${what} (${why}, ${attempts} tries), so nothing was changed.`,
      `Find what keeps ${address} busy (SLOWLOG GET, INFO persistence, a paused or swapping process), then ${againRef(o.tool)}` +
        (o.timeoutArg ? `; if it is only slow, raise ${argRef("timeoutMs", undefined, o.tool)}.` : " once it answers."),
    );
  }
}

export class CancelledError extends PilotError {
  constructor(message = "The operation was cancelled.", next = `Check the servers with ${toolRef("cluster_check")} before retrying.`) {
    super("cancelled", message, next);
  }
}

/**
 * A value the caller sent, quoted for a message: whole when short, else its start and
 * its length, so an error never echoes a megabyte back.
 */
export function quoted(value: unknown, max = 64): string {
  const s = String(value);
  return s.length <= max ? `'${s}'` : `'${s.slice(0, max - 16)}…' (${s.length} characters)`;
}

/** The longest message any front end shows: a safety net behind quoted(). */
export const MAX_MESSAGE_CHARS = 2000;

/** text cut to MAX_MESSAGE_CHARS, saying how much was left out. */
export function clipMessage(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters left out)`;
}

/** What was thrown, as text: an Error's message, anything else stringified. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The one sentence for a bug: the first line of what was thrown (zod and others throw many). */
export function internalMessage(err: unknown): string {
  const text = errorMessage(err).split("\n")[0].trim().replace(/[.:]$/, "");
  return `Internal error: ${text || "unknown"}.`;
}

export const REPORT_BUG = "This is a bug in redis-pilot; please report it with the command or call you ran.";

/** One sentence plus the next step, for humans, in the words of the front end that shows it. */
export function renderError(err: unknown, words?: Words): string {
  return clipMessage(redactText(err instanceof PilotError ? speak(`${err.message} ${err.next}`, words) : `${internalMessage(err)} ${REPORT_BUG}`));
}
