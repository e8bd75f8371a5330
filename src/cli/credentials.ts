/**
 * Credentials for servers typed as bare HOST:PORT, taken the way redis-cli takes them:
 * REDISCLI_AUTH (preferred), -a/--pass, --user, --tls with --cacert/--cert/--key/--sni/
 * --insecure. They fill in what a lab or config target does not already supply.
 * The password goes to the connection and nowhere else: -a is warned about (like
 * redis-cli) and scrubbed from this process's title, so `ps` stops showing it.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ValidationError } from "../errors.js";
import { registerSecret } from "../secrets.js";
import type { ConnectionOptions } from "../redis/connection.js";

export interface CredentialFlags {
  pass?: string;
  user?: string;
  tls?: boolean;
  cacert?: string;
  cert?: string;
  key?: string;
  sni?: string;
  insecure?: boolean;
}

export function addCredentialOptions(cmd: Command): Command {
  return cmd
    .option("-a, --pass <password>", "password for HOST:PORT nodes (visible in ps: prefer REDISCLI_AUTH)")
    .option("--user <username>", "ACL username for HOST:PORT nodes")
    .option("--tls", "connect to HOST:PORT nodes over TLS")
    .option("--cacert <file>", "CA certificate to verify the servers (implies --tls)")
    .option("--cert <file>", "client certificate for TLS (implies --tls)")
    .option("--key <file>", "client private key for TLS (implies --tls)")
    .option("--sni <host>", "server name for TLS (implies --tls)")
    .option("--insecure", "do not verify the servers' TLS certificates (implies --tls)");
}

function readPem(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new ValidationError(`Cannot read the ${flag} file ${file}.`, `Check the path given to ${flag}.`);
  }
}

/** Connection options from the flags and REDISCLI_AUTH; undefined when none were given. */
export function connectionFromFlags(flags: CredentialFlags, env: NodeJS.ProcessEnv = process.env): ConnectionOptions | undefined {
  const password = flags.pass ?? (env.REDISCLI_AUTH || undefined);
  registerSecret(password);
  const wantsTls = Boolean(flags.tls || flags.cacert || flags.cert || flags.key || flags.sni || flags.insecure);
  const tls = wantsTls
    ? {
        ...(flags.cacert ? { ca: readPem("--cacert", flags.cacert) } : {}),
        ...(flags.cert ? { cert: readPem("--cert", flags.cert) } : {}),
        ...(flags.key ? { key: readPem("--key", flags.key) } : {}),
        ...(flags.sni ? { servername: flags.sni } : {}),
        ...(flags.insecure ? { rejectUnauthorized: false } : {}),
      }
    : undefined;
  if (password === undefined && flags.user === undefined && tls === undefined) return undefined;
  return { ...(flags.user !== undefined ? { username: flags.user } : {}), ...(password !== undefined ? { password } : {}), ...(tls ? { tls } : {}) };
}

/** redis-cli's warning for -a, and the password taken out of what `ps` shows for this process. */
export function guardPasswordFlag(flags: CredentialFlags): void {
  if (flags.pass === undefined) return;
  process.stderr.write("Warning: using a password with '-a' or '--pass' on the command line may not be safe; set REDISCLI_AUTH instead.\n");
  process.title = "redis-pilot";
}
