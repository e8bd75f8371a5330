/**
 * Real MCP clients for tests: the SDK's Client over stdio, spawning the built CLI
 * (`npm test` builds first; by hand: npm run build), and over Streamable HTTP against
 * `mcp --http` spawned the same way. Both use the test file's own REDIS_PILOT_HOME.
 * Closing a stdio client ends its child (by pid, via the transport); HTTP servers are
 * stopped by stopHttpServers(), each by its own pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema, type CallToolResult, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
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
  /** The server's pid (for tests that read its /proc entry). */
  pid: number;
  /** What the server wrote to stderr so far (logs never go to stdout). */
  stderr(): string;
  /** Resolves with all stderr so far once it matches `pattern` (no timer: the test's own timeout bounds it). */
  waitForStderr(pattern: RegExp): Promise<string>;
}

/** Collects a stream's text and lets a test wait for a line to appear. */
function stderrWatcher(stream: NodeJS.ReadableStream | null | undefined): Pick<StdioSession, "stderr" | "waitForStderr"> {
  let text = "";
  const waiting: { pattern: RegExp; resolve: (s: string) => void }[] = [];
  stream?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of waiting.filter((x) => x.pattern.test(text))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(text);
    }
  });
  return {
    stderr: () => text,
    waitForStderr: (pattern) => (pattern.test(text) ? Promise.resolve(text) : new Promise((resolve) => waiting.push({ pattern, resolve }))),
  };
}

export async function stdioClient(mcpArgs: string[] = [], options: ClientOptions = {}, env: Record<string, string> = {}): Promise<StdioSession> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "mcp", ...mcpArgs], env: childEnv(env), stderr: "pipe" });
  const watcher = stderrWatcher(transport.stderr as NodeJS.ReadableStream | null);
  const client = new Client({ name: "redis-pilot-test", version: "1" }, options);
  await client.connect(transport);
  return { client, pid: transport.pid!, ...watcher };
}

/** The text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const first = (result as CallToolResult).content[0];
  return first?.type === "text" ? first.text : "";
}

/** The text of one resources/read content ("" for a binary one). */
export function resourceText(content: { text: string } | { blob: string }): string {
  return "text" in content ? content.text : "";
}

export interface HttpServer {
  url: URL;
  stderr(): string;
}

const httpServers: ChildProcess[] = [];

/** Starts `mcp --http --port 0 ...` and resolves once it printed where it listens. */
export function startHttpServer(env: Record<string, string>, extraArgs: string[] = []): Promise<HttpServer> {
  const child = spawn(process.execPath, [CLI, "mcp", "--http", "--port", "0", ...extraArgs], { env, stdio: ["ignore", "ignore", "pipe"] });
  httpServers.push(child);
  let err = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      const m = /Streamable HTTP on (http:\/\/\S+)/.exec(err);
      if (m) resolve({ url: new URL(m[1]), stderr: () => err });
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

/** Stops every server startHttpServer started in this file, each by its pid, and waits for it to exit. */
export async function stopHttpServers(): Promise<void> {
  for (const child of httpServers.filter((c) => c.exitCode === null && c.signalCode === null)) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}

export interface HttpSession {
  client: Client;
  transport: StreamableHTTPClientTransport;
  close(): Promise<void>;
}

/** An SDK Client over Streamable HTTP; with onElicit it declares elicitation and answers with it. */
export async function httpClient(url: URL, token: string, onElicit?: (message: string) => ElicitResult): Promise<HttpSession> {
  const client = new Client({ name: "redis-pilot-http-test", version: "1" }, onElicit ? { capabilities: { elicitation: {} } } : {});
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, async (req) => onElicit(req.params.message));
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return {
    client,
    transport,
    async close() {
      await transport.terminateSession();
      await client.close();
    },
  };
}
