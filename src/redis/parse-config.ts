import { BadReplyError } from "./bad-reply.js";

/**
 * CONFIG GET's reply, a flat [name, value, name, value, ...] list, as a record. Checked
 * before use: a setting we restore later must not be read from a misaligned list.
 */
export function parseConfigGet(reply: unknown): Record<string, string> {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) throw new BadReplyError("CONFIG GET", "not a name/value list");
  const out: Record<string, string> = {};
  for (let i = 0; i < reply.length; i += 2) {
    const [name, value] = [reply[i], reply[i + 1]];
    if (typeof name !== "string" || (typeof value !== "string" && !Buffer.isBuffer(value))) throw new BadReplyError("CONFIG GET", `entry ${i / 2 + 1} is not a name and a value`);
    out[name] = String(value);
  }
  return out;
}
