/**
 * The run transcript: one JSON object per line (request, planner turns, each call with
 * its arguments, result summary and timing, the end). Secrets never reach the file:
 * values under secret-looking keys are replaced, and those values (plus the API key)
 * are scrubbed from every string, summaries included.
 */
import { appendFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { labHome } from "../lab/store.js";

const SECRET_KEY = /pass(?:word)?|secret|token|auth|api[-_]?key|credential/i;
const REDACTED = "[redacted]";

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
    const apiKey = process.env.ANTHROPIC_API_KEY;
    if (apiKey) this.secrets.add(apiKey);
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
