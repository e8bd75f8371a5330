/**
 * The HTTP bearer token: the first line of --token-file (the flag wins), else
 * REDIS_PILOT_MCP_TOKEN, else a fresh random one that the caller prints once.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { ValidationError } from "../errors.js";
import { registerSecret } from "../secrets.js";

export const TOKEN_ENV = "REDIS_PILOT_MCP_TOKEN";
/** Short tokens are guessable; a generated one is 43 characters. */
const MIN_TOKEN_LENGTH = 16;

export interface ResolvedToken {
  token: string;
  source: "env" | "file" | "generated";
}

function checked(token: string, where: string): string {
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ValidationError(`The MCP token from ${where} is shorter than ${MIN_TOKEN_LENGTH} characters.`, "Use a longer random token, e.g. `openssl rand -base64 32`.");
  }
  return token;
}

export function resolveToken(opts: { tokenFile?: string; env?: NodeJS.ProcessEnv }): ResolvedToken {
  const r = readToken(opts);
  registerSecret(r.token);
  return r;
}

function readToken(opts: { tokenFile?: string; env?: NodeJS.ProcessEnv }): ResolvedToken {
  if (opts.tokenFile) {
    let text: string;
    try {
      text = readFileSync(opts.tokenFile, "utf8");
    } catch {
      throw new ValidationError(`Cannot read the token file ${opts.tokenFile}.`, "Check the --token-file path and its permissions.");
    }
    return { token: checked(text.split(/\r?\n/)[0].trim(), opts.tokenFile), source: "file" };
  }
  const fromEnv = (opts.env ?? process.env)[TOKEN_ENV]?.trim();
  if (fromEnv) return { token: checked(fromEnv, TOKEN_ENV), source: "env" };
  return { token: randomBytes(32).toString("base64url"), source: "generated" };
}
