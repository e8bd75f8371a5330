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

const SECRET_KEY = /pass(?:word)?|secret|token|auth|api[-_]?key|credential/i;
const REDACTED = "[redacted]";
/** A secret typed into prose: "password hunter2", "requirepass=s3cret", "token: abc123". */
const SECRET_IN_TEXT = /\b(?:password|passwd|passphrase|pwd|requirepass|masterauth|auth|secret|token|api[-_ ]?key)(?:\s+(?:is|of|to|as)\s+|\s*[=:]\s*|\s+)(?:(['"`])([^'"`]{3,}?)\1|([^\s'"`,;]{3,}))/gi;
/** Words that follow "password" in prose without being one ("password set", "auth enabled"). */
const NOT_A_SECRET = new Set(["and", "are", "for", "the", "with", "set", "from", "that", "this", "not", "none", "enabled", "disabled", "required", "protected", "protection", "authentication", "password", "passwords", "auth", "token", "secret", "file", "env", "variable"]);
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

/** Secrets written into free text (a request, a model's words), as typed. */
export function secretsInText(text: string, out = new Set<string>()): Set<string> {
  for (const m of text.matchAll(SECRET_IN_TEXT)) {
    // A quoted value is taken whole; a bare one loses the punctuation that ends a sentence.
    const value = m[2] ?? m[3].replace(/[.)\]]+$/, "");
    if (value.length >= 3 && !NOT_A_SECRET.has(value.toLowerCase())) out.add(value);
  }
  return out;
}

/** A copy of value with secret keys replaced and known secret strings scrubbed. */
export function redact(value: unknown, secrets: ReadonlySet<string>): unknown {
  if (typeof value === "string") {
    let s = value;
    for (const secret of secrets) s = s.split(secret).join(REDACTED);
    return s;
  }
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
