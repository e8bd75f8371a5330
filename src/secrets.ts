/**
 * Every secret this process knows, and redaction by value. Whatever a secret's phrasing
 * ("-a X", "REDISCLI_AUTH=X", "redis://:X@host", "using X as the password"), once its
 * value is known it is replaced wherever it would be written: transcripts, logs (log.ts),
 * errors and results (invokeTool, renderError), ioredis's DEBUG output (connection.ts).
 * Known values: target passwordEnv values (config.ts), -a / REDISCLI_AUTH (read here),
 * lab passwords (lab state, lab_up), the MCP bearer token, the Anthropic credentials, and
 * passwords found in agent requests. Forms that carry a secret whatever its value (the
 * userinfo of a redis:// URI, the arguments of an AUTH in debug output) are masked too.
 */
export const REDACTED = "[redacted]";

/** Shorter values are masked only where their form says they are secret: by value they would mangle text. */
export const MIN_SECRET_LENGTH = 3;

const known = new Set<string>();
let sorted: string[] | undefined;

/** Environment variables whose values are secrets wherever they are set (read at call time, not at load). */
const SECRET_ENV = ["REDISCLI_AUTH", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "REDIS_PILOT_MCP_TOKEN"];

export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== "string" || value.length === 0 || known.has(value)) return;
  known.add(value);
  sorted = undefined;
}

/** Every secret value known now, longest first (so a secret containing another is masked whole). */
export function knownSecrets(): readonly string[] {
  for (const name of SECRET_ENV) registerSecret(process.env[name]);
  sorted ??= [...known].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return sorted;
}

/** Forms that are secret whatever the value: URI userinfo passwords, AUTH arguments, -a and REDISCLI_AUTH= assignments. */
const FORMS: [RegExp, string][] = [
  // redis://user:pass@host, rediss://:pass@host (and any scheme://user:pass@)
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)([^\s@/'"]+)@/gi, `$1${REDACTED}@`],
  // ioredis debug: auth([ 'secret' ]), auth([ 'user', 'secret' ])
  [/\b(auth\s*\(\s*\[)[^\]]*(\])/gi, `$1 ${REDACTED} $2`],
  // AUTH in a command line: "AUTH secret", "AUTH user secret"
  [/\b(AUTH)((?:\s+[^\s"'\\]+){1,2})(?=\s|$|["'])/g, `$1 ${REDACTED}`],
  [/((?:^|\s)(?:-a|--pass|--password)(?:\s+|=))(\S+)/g, `$1${REDACTED}`],
  [/\b(REDISCLI_AUTH\s*=\s*)(\S+)/g, `$1${REDACTED}`],
];

/** text with every known secret and every secret-carrying form masked. */
export function redactText(text: string, extra: Iterable<string> = []): string {
  let s = text;
  const values = [...knownSecrets(), ...[...extra].filter((v) => v.length >= MIN_SECRET_LENGTH)].sort((a, b) => b.length - a.length);
  for (const v of values) {
    if (s.includes(v)) s = s.split(v).join(REDACTED);
    // As it reads inside JSON (a log line, a transcript record) when it holds quotes or backslashes.
    const escaped = JSON.stringify(v).slice(1, -1);
    if (escaped !== v && s.includes(escaped)) s = s.split(escaped).join(REDACTED);
  }
  for (const [re, to] of FORMS) s = s.replace(re, to);
  return s;
}

/** A deep copy with every string redacted (keys kept). */
export function redactDeep<T>(value: T, extra: Iterable<string> = []): T {
  const list = [...extra];
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redactText(v, list);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object" && (v.constructor === Object || v.constructor === undefined)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** Words that follow "password" in prose without being one ("password set", "auth enabled"). */
const NOT_A_SECRET = new Set([
  "and", "are", "for", "the", "with", "set", "from", "that", "this", "not", "none", "enabled", "disabled", "required",
  "protected", "protection", "authentication", "password", "passwords", "auth", "token", "secret", "file", "env",
  "variable", "please", "too", "only", "is", "of", "to", "as", "a", "an", "it", "its", "be", "being",
]);

const VALUE = String.raw`(?:(['"\x60])([^'"\x60]+?)\1|([^\s'"\x60,;]+))`;
/**
 * How people write a password in a request or a command line, each capturing the value:
 * "password X", "password is/to/as/being X", "password: X", '"password": "X"',
 * "using X as the password", "-a X", "--pass X", "REDISCLI_AUTH=X", "AUTH X",
 * "requirepass X", "masterauth X", "auth-pass X", "redis://:X@host", "redis://user:X@host",
 * and the same for secrets, tokens and API keys.
 */
const PHRASES: RegExp[] = [
  new RegExp(String.raw`\b(?:password|passwd|passphrase|pwd|pw|requirepass|masterauth|auth-pass|auth|secret|token|api[-_ ]?key)['"]?(?:\s+(?:is|of|to|as|being|set to|=)\s+|\s*[=:]\s*|\s+)${VALUE}`, "gi"),
  new RegExp(String.raw`\b(?:using|use|with|set|take)\s+${VALUE}\s+(?:as|for)\s+(?:the\s+|a\s+|its\s+|their\s+)?(?:\w+\s+)?(?:password|passwd|secret|requirepass)\b`, "gi"),
  new RegExp(String.raw`(?:^|\s)(?:-a|--pass|--password)(?:\s+|=)${VALUE}`, "g"),
  new RegExp(String.raw`\bREDISCLI_AUTH\s*=\s*${VALUE}`, "gi"),
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:([^\s@/'"]+)@/gi,
];

/** Secrets written into free text (a request, a model's words, an argv), as typed. */
export function secretsInText(text: string, out = new Set<string>()): Set<string> {
  for (const re of PHRASES) {
    for (const m of text.matchAll(re)) {
      // A quoted value is taken whole; a bare one loses the punctuation that ends a sentence.
      const quoted = m.length > 3 ? m[2] : undefined;
      const raw = quoted ?? (m.length > 3 ? m[3] : m[1]);
      if (raw === undefined) continue;
      const value = quoted ?? raw.replace(/[.)\]!?]+$/, "");
      if (value.length >= MIN_SECRET_LENGTH && !NOT_A_SECRET.has(value.toLowerCase())) out.add(value);
    }
  }
  return out;
}
