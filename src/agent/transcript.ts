/**
 * The run transcript: one JSON object per line (request, planner turns, each call with
 * its arguments, result summary and timing, the end). Secrets never reach the file:
 * values under secret-looking keys are replaced, and those values, secrets typed into
 * the request or a planner's text ("password hunter2"), and the Anthropic credentials
 * are scrubbed from every string, summaries included.
 */
import { appendFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { labHome } from "../lab/store.js";
import { redactText, registerSecret, secretsInText as phrasedSecrets } from "../secrets.js";

const SECRET_KEY = /pass(?:word)?|secret|token|auth|api[-_]?key|credential/i;
const REDACTED = "[redacted]";
/** Credentials the SDK reads from the environment. */
const CREDENTIAL_ENV = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"];

/** Default location: <REDIS_PILOT_HOME>/transcripts/<time>-<id>.jsonl. */
export function defaultTranscriptPath(id: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  return join(labHome(), "transcripts", `${stamp}-${id}.jsonl`);
}

/** Collects string values held under secret-looking keys, anywhere in value. */
export function secretValues(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => secretValues(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k) && typeof v === "string" && v) out.add(v);
      else secretValues(v, out);
    }
  }
  return out;
}

/** Secrets written into free text (a request, a model's words), as typed: every phrasing src/secrets.ts knows. */
export function secretsInText(text: string, out = new Set<string>()): Set<string> {
  return phrasedSecrets(text, out);
}

/** A copy of value with secret keys replaced and known secret strings scrubbed. */
export function redact(value: unknown, secrets: ReadonlySet<string>): unknown {
  // Every secret this process knows too, and the forms that are secret whatever the value (src/secrets.ts).
  if (typeof value === "string") return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== undefined && typeof v !== "boolean" ? REDACTED : redact(v, secrets)]),
    );
  }
  return value;
}

export class Transcript {
  private readonly secrets = new Set<string>();
  private ready: Promise<unknown>;

  constructor(readonly path: string) {
    this.ready = mkdir(dirname(path), { recursive: true, mode: 0o700 });
    for (const name of CREDENTIAL_ENV) {
      const value = process.env[name];
      if (value) this.secrets.add(value);
    }
  }

  /** Learns secrets before they are written: values under secret keys, and secrets typed into text. */
  learn(value: unknown): void {
    if (typeof value === "string") secretsInText(value, this.secrets);
    else secretValues(value, this.secrets);
    // Known to the whole process from now on: logs and errors of this run redact it too.
    for (const s of this.secrets) registerSecret(s);
  }

  /** text with every secret learned so far replaced (for what the run prints). */
  scrub(text: string): string {
    return redact(text, this.secrets) as string;
  }

  /** Appends one record; writes are chained so lines keep their order. */
  write(type: string, record: Record<string, unknown>): Promise<void> {
    secretValues(record, this.secrets);
    const line = JSON.stringify({ type, at: new Date().toISOString(), ...(redact(record, this.secrets) as object) }) + "\n";
    const done = this.ready.then(() => appendFile(this.path, line, { mode: 0o600 }));
    this.ready = done;
    return done;
  }
}
