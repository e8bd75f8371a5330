import { pino } from "pino";

/**
 * stdout belongs to the MCP stdio transport, so every log line goes to stderr.
 * Level from REDIS_PILOT_LOG (default: warn, so CLI output stays clean).
 */
export const log = pino(
  {
    level: process.env.REDIS_PILOT_LOG ?? "warn",
    redact: { paths: ["password", "*.password", "auth", "*.auth", "token", "*.token"], censor: "[redacted]" },
  },
  pino.destination(2),
);
