/** MIGRATE's own credentials for the target: AUTH2 user pass, AUTH pass, or nothing. */
import type { ConnectionOptions } from "../../redis/connection.js";

export function migrateAuthArgs(c: ConnectionOptions): string[] {
  if (c.password === undefined || c.password === "") return [];
  return c.username ? ["AUTH2", c.username, c.password] : ["AUTH", c.password];
}
