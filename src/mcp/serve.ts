/**
 * Starts the MCP server on stdio (the default: Claude Desktop, Claude Code, IDEs spawn
 * it) or Streamable HTTP. stdout is the stdio channel, so every message for humans goes
 * to stderr, and the HTTP token is printed there once when we generated it.
 */
import type { Toolset } from "../../tools/tool.js";
import { allTools, selectTools } from "../../tools/index.js";
import { isLoopback } from "../redis/address.js";
import { createDeps, type ServerDeps } from "./deps.js";
import { createMcpServer } from "./server.js";

export interface ServeOptions {
  http: boolean;
  host: string;
  port: number;
  readOnly: boolean;
  /** Undefined: every toolset. */
  toolsets?: Toolset[];
  tokenFile?: string;
  configPath?: string;
  /** HTTP: live sessions at most (default 64). */
  maxSessions?: number;
}

/** After stdin closes, give in-flight replies this long before exiting anyway. */
const STDIO_EXIT_GRACE_MS = 2000;

const say = (line: string) => process.stderr.write(`redis-pilot mcp: ${line}\n`);

export function serverDeps(opts: Pick<ServeOptions, "readOnly" | "toolsets" | "configPath">): ServerDeps {
  return createDeps(selectTools({ readOnly: opts.readOnly, toolsets: opts.toolsets }, allTools), opts.configPath);
}

async function serveStdio(deps: ServerDeps): Promise<void> {
  const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
  const server = createMcpServer(deps);
  await server.connect(new StdioServerTransport());
  // The client closing our stdin is how a stdio session ends.
  process.stdin.once("end", () => {
    void server.close();
    setTimeout(() => process.exit(0), STDIO_EXIT_GRACE_MS).unref();
  });
}

async function serveOverHttp(deps: ServerDeps, opts: ServeOptions): Promise<void> {
  const [{ serveHttp }, { resolveToken, TOKEN_ENV }] = await Promise.all([import("./http.js"), import("./http-token.js")]);
  const { token, source } = resolveToken({ tokenFile: opts.tokenFile });
  // No cold-start budget here: a broken config file should stop the server, not its first call.
  await deps.config();
  if (!isLoopback(opts.host)) say(`warning: listening on ${opts.host}, not loopback; anyone who can reach it and holds the token can use every tool listed.`);
  const running = await serveHttp(deps, { host: opts.host, port: opts.port, token, maxSessions: opts.maxSessions });
  if (source === "generated") {
    say(`bearer token (shown once; set ${TOKEN_ENV} or --token-file to choose your own): ${token}`);
  }
  // Last, so whoever waits for this line (a script, a test) has everything above it.
  say(`Streamable HTTP on ${running.url} (${deps.tools.length} tools; bearer token required)`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

export async function serve(opts: ServeOptions): Promise<void> {
  const deps = serverDeps(opts);
  if (opts.http) return serveOverHttp(deps, opts);
  return serveStdio(deps);
}
