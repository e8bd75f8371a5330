/**
 * `redis-pilot mcp`: the MCP server, on stdio by default or Streamable HTTP with --http.
 * The server modules load only when the verb runs; the config path is the global --config.
 */
import { Command, InvalidArgumentError } from "commander";
import type { Toolset } from "../registry/tool.js";

export const DEFAULT_HTTP_PORT = 8737;

/** Every toolset name; typed as a record so adding a Toolset without listing it here fails to compile. */
const TOOLSETS: Record<Toolset, true> = { lab: true, cluster: true, replication: true, sentinel: true, drills: true, runbook: true };

export function parseToolsets(text: string): Toolset[] {
  const names = text.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(n in TOOLSETS));
  if (unknown.length || names.length === 0) {
    throw new InvalidArgumentError(`unknown toolset ${unknown.join(", ") || "(none given)"}; choose from ${Object.keys(TOOLSETS).join(", ")}.`);
  }
  return names as Toolset[];
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("a port is a whole number from 0 to 65535 (0 picks a free one).");
  return port;
}

function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a whole number of at least 1.");
  return n;
}

export function register(program: Command): void {
  program
    .command("mcp")
    .description("Run the MCP server (stdio by default; --http for Streamable HTTP with a bearer token).")
    .option("--http", "serve Streamable HTTP instead of stdio")
    .option("--host <address>", "HTTP address to bind", "127.0.0.1")
    .option("--port <n>", `HTTP port (0 picks a free one)`, parsePort, DEFAULT_HTTP_PORT)
    .option("--read-only", "list only tools that change nothing")
    .option("--toolsets <names>", `comma-separated toolsets to expose (${Object.keys(TOOLSETS).join(", ")})`, parseToolsets)
    .option("--max-sessions <n>", "HTTP: live sessions at most; idle ones close after 30 minutes", parseCount, 64)
    .option("--token-file <file>", "HTTP bearer token file (default: $REDIS_PILOT_MCP_TOKEN, else one is generated and printed once)")
    .option("--allowed-host <name>", "HTTP: also serve requests whose Host header names this (repeatable; needed when clients reach a non-loopback --host by name)", (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async function (this: Command) {
      const o = this.optsWithGlobals<{
        http?: boolean;
        host: string;
        port: number;
        readOnly?: boolean;
        toolsets?: Toolset[];
        tokenFile?: string;
        config?: string;
        maxSessions: number;
        allowedHost: string[];
      }>();
      const { serve } = await import("../mcp/serve.js");
      await serve({
        http: o.http ?? false,
        host: o.host,
        port: o.port,
        readOnly: o.readOnly ?? false,
        toolsets: o.toolsets,
        tokenFile: o.tokenFile,
        configPath: o.config,
        maxSessions: o.maxSessions,
        allowedHosts: o.allowedHost,
      });
    });
}
