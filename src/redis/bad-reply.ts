import { PilotError } from "../errors.js";

/**
 * A server reply that does not have the shape we parse. We validate replies before use
 * because a wrong guess about a slot map or a role is worse than stopping.
 */
export class BadReplyError extends PilotError {
  constructor(
    readonly command: string,
    reason: string,
    readonly line?: string,
  ) {
    const where = line === undefined ? "" : `: '${line.length > 200 ? `${line.slice(0, 200)}...` : line}'`;
    super(
      "bad_reply",
      `Malformed ${command} reply (${reason})${where}.`,
      "Check that the server is Redis 7 or newer (or compatible); if it is, report this reply as a bug.",
      line,
    );
  }
}
