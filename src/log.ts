import type { Logger } from "pino";
import { lazyRequire } from "./lazy-require.js";
import { redactText } from "./secrets.js";

/**
 * stdout belongs to the MCP stdio transport, so every log line goes to stderr.
 * Level from REDIS_PILOT_LOG (default: warn, so CLI output stays clean). pino is
 * loaded on the first log call: most runs never log.
 */
let logger: Logger | undefined;

function get(): Logger {
  if (!logger) {
    const { pino } = lazyRequire("pino") as typeof import("pino");
    logger = pino(
      {
        level: process.env.REDIS_PILOT_LOG ?? "warn",
        redact: { paths: ["password", "*.password", "auth", "*.auth", "token", "*.token"], censor: "[redacted]" },
      },
      // Every line redacted by value (every secret the process knows) and by form (src/secrets.ts).
      { write: (line: string) => void process.stderr.write(redactText(line)) },
    );
  }
  return logger;
}

type LogFn = (obj: object | string, msg?: string) => void;

export const log: Record<"error" | "warn" | "info" | "debug", LogFn> = {
  error: (obj, msg) => get().error(obj, msg),
  warn: (obj, msg) => get().warn(obj, msg),
  info: (obj, msg) => get().info(obj, msg),
  debug: (obj, msg) => get().debug(obj, msg),
};
