/**
 * Real MCP clients for tests: the SDK's Client over stdio, spawning the built CLI
 * (`npm test` builds first; by hand: npm run build), with the test file's own
 * REDIS_PILOT_HOME. Closing the client ends that child (by its pid, via the transport).
 */
import { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CLI } from "./cli.js";

export { CLI };

/** The child's environment: ours (PATH, REDIS_SERVER...) plus the test's lab home. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, ...extra };
}

export interface StdioSession {
  client: Client;
  /** What the server wrote to stderr so far (logs never go to stdout). */
  stderr(): string;
}

export async function stdioClient(mcpArgs: string[] = [], options: ClientOptions = {}): Promise<StdioSession> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "mcp", ...mcpArgs], env: childEnv(), stderr: "pipe" });
  let err = "";
  transport.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const client = new Client({ name: "redis-pilot-test", version: "1" }, options);
  await client.connect(transport);
  return { client, stderr: () => err };
}

/** The text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const first = (result as CallToolResult).content[0];
  return first?.type === "text" ? first.text : "";
}
