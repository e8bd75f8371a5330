/**
 * Starts the MCP server on stdio (the default: Claude Desktop, Claude Code, IDEs spawn
 * it) or Streamable HTTP. stdout is the stdio channel, so every message for humans goes
 * to stderr, and the HTTP token is printed there once when we generated it.
 */
import type { AnyTool, Toolset } from "../registry/tool.js";
import { allTools } from "../../tools/index.js";
import { selectTools } from "../registry/filters.js";
import { ValidationError } from "../errors.js";
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
  /** HTTP: Host header names served besides loopback and the bind address. */
  allowedHosts?: string[];
}

/** After stdin closes, give in-flight replies this long before exiting anyway. */
const STDIO_EXIT_GRACE_MS = 2000;

const say = (line: string) => process.stderr.write(`redis-pilot mcp: ${line}\n`);

/**
 * Refuses toolsets that have no tools (yet), so a session never starts empty by a typo
 * or a toolset still to come: one sentence naming the toolsets that do have tools.
 */
export function checkToolsets(requested: readonly string[] | undefined, tools: readonly AnyTool[] = allTools): void {
  const offered = [...new Set(tools.map((t) => t.toolset))];
  const empty = (requested ?? []).filter((t) => !offered.includes(t as Toolset));
  if (requested !== undefined && requested.length === 0) empty.push("(none given)");
  if (empty.length === 0) return;
  const one = empty.length === 1;
  throw new ValidationError(
    `Toolset${one ? "" : "s"} ${empty.join(", ")} ${one ? "has" : "have"} no tools; the toolsets with tools are ${offered.join(", ")}.`,
    `Pick from those, e.g. --toolsets ${offered.join(",")}.`,
  );
}

export function serverDeps(opts: Pick<ServeOptions, "readOnly" | "toolsets" | "configPath">): ServerDeps {
  return createDeps(selectTools(allTools, { readOnly: opts.readOnly, toolsets: opts.toolsets }), opts.configPath);
}

async function serveStdio(deps: ServerDeps): Promise<void> {
  const [{ StdioServerTransport }, { limitedStdin }] = await Promise.all([import("@modelcontextprotocol/sdk/server/stdio.js"), import("./stdio-limit.js")]);
  const server = createMcpServer(deps);
  // Messages over the limit are refused one by one instead of ending the session (stdio-limit.ts).
  await server.connect(new StdioServerTransport(limitedStdin(process.stdin, process.stdout), process.stdout));
  // The client closing our stdin is how a stdio session ends.
  process.stdin.once("end", () => {
    void server.close();
    setTimeout(() => process.exit(0), STDIO_EXIT_GRACE_MS).unref();
  });
}

async function serveOverHttp(deps: ServerDeps, opts: ServeOptions): Promise<void> {
  const [{ serveHttp }, { resolveToken, TOKEN_ENV }, { allowedHostEntry, exposureWarning }] = await Promise.all([
    import("./http.js"),
    import("./http-token.js"),
    import("./http-guard.js"),
  ]);
  const { token, source } = resolveToken({ tokenFile: opts.tokenFile });
  const bad = (opts.allowedHosts ?? []).filter((h) => allowedHostEntry(h, 0) === undefined);
  if (bad.length) {
    throw new ValidationError(`--allowed-host ${bad.join(", ")} is not a host name (letters, digits, dots, dashes; optionally :PORT) or IP address.`, "Pass the name clients put in the Host header, e.g. --allowed-host pilot.internal.");
  }
  // No cold-start budget here: a broken config file should stop the server, not its first call.
  await deps.config();
  const running = await serveHttp(deps, { host: opts.host, port: opts.port, token, maxSessions: opts.maxSessions, allowedHosts: opts.allowedHosts });
  const warning = exposureWarning(opts.host, running.hosts);
  if (warning) say(warning);
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
  checkToolsets(opts.toolsets);
  const deps = serverDeps(opts);
  if (opts.http) return serveOverHttp(deps, opts);
  return serveStdio(deps);
}
