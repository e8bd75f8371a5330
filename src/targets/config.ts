/**
 * The targets config file (YAML or JSON): named real servers with credentials by env
 * reference and an explicit allowMutations switch. Anything not a lab is read-only
 * unless its target says allowMutations: true.
 */
import { readFileSync } from "node:fs";
import { lazyRequire } from "../lazy-require.js";
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { registerSecret } from "../secrets.js";

export const TargetConfigSchema = z.object({
  /** Seed nodes, host:port. */
  nodes: z.array(z.string()).min(1),
  username: z.string().optional(),
  /** Name of the environment variable holding the password (never the password itself). */
  passwordEnv: z.string().optional(),
  tls: z
    .union([
      z.boolean(),
      z.object({
        caFile: z.string().optional(),
        certFile: z.string().optional(),
        keyFile: z.string().optional(),
        servername: z.string().optional(),
        rejectUnauthorized: z.boolean().optional(),
      }),
    ])
    .optional(),
  allowMutations: z.boolean().default(false),
  /** host:port -> zone label, for anti-affinity checks. */
  zones: z.record(z.string(), z.string()).optional(),
  connectTimeoutMs: z.number().int().positive().optional(),
  commandTimeoutMs: z.number().int().positive().optional(),
});
export type TargetConfig = z.infer<typeof TargetConfigSchema>;

export const AgentConfigSchema = z.object({
  /** Claude model id for the agent's Claude planner (REDIS_PILOT_MODEL and --model win). */
  model: z.string().min(1).optional(),
});

export const PilotConfigSchema = z.object({
  targets: z.record(z.string(), TargetConfigSchema).default({}),
  /**
   * Servers named by bare HOST:PORT that belong to no lab or target. Read-only for MCP
   * clients and the agent (a model picks them) unless this says otherwise; at the CLI
   * the operator who types them is the consent.
   */
  bareAddresses: z.object({ allowMutations: z.boolean().default(false) }).optional(),
  agent: AgentConfigSchema.optional(),
});
export type PilotConfig = z.infer<typeof PilotConfigSchema>;

export function parseConfig(text: string, source = "config"): PilotConfig {
  let raw: unknown;
  try {
    raw = source.endsWith(".json") ? JSON.parse(text) : (lazyRequire("yaml") as typeof import("yaml")).parse(text);
  } catch (e) {
    throw new ValidationError(`${source} is not valid YAML/JSON: ${(e as Error).message}.`, "Fix the syntax and retry.");
  }
  const r = PilotConfigSchema.safeParse(raw ?? {});
  if (!r.success) {
    const first = r.error.issues[0];
    throw new ValidationError(`${source}: ${first.path.join(".") || "(root)"}: ${first.message}.`, "Fix that entry and retry.");
  }
  // Every target password this process can read is a secret from now on (src/secrets.ts).
  for (const t of Object.values(r.data.targets)) if (t.passwordEnv) registerSecret(process.env[t.passwordEnv]);
  return r.data;
}

/** Path from the flag, else REDIS_PILOT_CONFIG; no file means no targets. */
export function loadConfig(path = process.env.REDIS_PILOT_CONFIG): PilotConfig {
  if (!path) return { targets: {} };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ValidationError(`Cannot read config file ${path}.`, "Check the --config path or REDIS_PILOT_CONFIG.");
  }
  return parseConfig(text, path);
}
