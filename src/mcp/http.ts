/**
 * Streamable HTTP: one endpoint (/mcp), stateful sessions (an McpServer and transport
 * per Mcp-Session-Id, so elicitation and progress reach the right client), loopback
 * by default, every request through the Host/Origin/token guard, bodies capped.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { ValidationError, errorMessage } from "../errors.js";
import { redactText } from "../secrets.js";
import type { ServerDeps } from "./deps.js";
import { allowedHosts, checkRequest, type GuardPolicy } from "./http-guard.js";
import { createMcpServer } from "./server.js";
import { SessionTable } from "./sessions.js";

export const MCP_PATH = "/mcp";
/** 1 MiB: the largest tool call we take is a few KiB of arguments. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
  /** Host header names served besides loopback and the bind address (--allowed-host). */
  allowedHosts?: readonly string[];
  maxBodyBytes?: number;
  /** Live sessions at most; more initializes get 503. @default 64 */
  maxSessions?: number;
  /** A session without a request for this long is closed. @default 30 minutes */
  sessionIdleMs?: number;
  /** A client must send its request headers within this. @default 10000 */
  headersTimeoutMs?: number;
  /** ... and its whole request (headers and body) within this. @default 30000 */
  requestTimeoutMs?: number;
}

/** Node's defaults (60 s, 300 s, checked every 30 s) let slow clients hold sockets for minutes. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface RunningHttpServer {
  url: string;
  /** The Host header values served, "host:port". */
  hosts: ReadonlySet<string>;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

/**
 * After a 413, the rest of the body is read and dropped (up to this much), so the client
 * that is still sending gets the 413 instead of a connection reset; past it, the socket goes.
 */
const DRAIN_MAX_BYTES = 16 * 1024 * 1024;

/** The body as JSON, or the status to answer with: 413 past the cap (declared or streamed), 400 when not JSON. */
function readJson(req: IncomingMessage, maxBytes: number): Promise<{ body: unknown } | { status: 400 | 413 }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number(req.headers["content-length"] ?? 0) > maxBytes;
    if (over) resolve({ status: 413 });
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size <= maxBytes) return void chunks.push(chunk);
      if (!over) {
        over = true;
        chunks.length = 0;
        resolve({ status: 413 });
      }
      if (size > maxBytes + DRAIN_MAX_BYTES) req.socket.destroy();
    };
    req.on("data", onData);
    req.on("error", reject);
    req.on("end", () => {
      if (over) return;
      try {
        resolve({ body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      } catch {
        resolve({ status: 400 });
      }
    });
  });
}

export async function serveHttp(deps: ServerDeps, opts: HttpOptions): Promise<RunningHttpServer> {
  const sessions = new SessionTable<StreamableHTTPServerTransport>(opts.maxSessions, opts.sessionIdleMs);
  const sweep = setInterval(() => {
    for (const t of sessions.expire(Date.now())) void t.close();
  }, Math.min(60_000, sessions.idleMs)).unref();
  const maxBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  // Allowed Host values name the port, known once listening; until then no Host passes.
  let policy: GuardPolicy = { allowedHosts: new Set(), token: opts.token };

  async function openSession(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => sessions.add(id, transport, Date.now()),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await createMcpServer(deps).connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = checkRequest({ host: req.headers.host, origin: req.headers.origin, authorization: req.headers.authorization }, policy);
    if (refusal) return reply(res, refusal.status, refusal.message, refusal.status === 401 ? { "www-authenticate": 'Bearer realm="redis-pilot"' } : {});
    if (new URL(req.url ?? "/", "http://localhost").pathname !== MCP_PATH) return reply(res, 404, `Not found: the MCP endpoint is ${MCP_PATH}.`);
    const sessionId = req.headers["mcp-session-id"];
    const session = typeof sessionId === "string" ? sessions.get(sessionId, Date.now()) : undefined;
    if (sessionId !== undefined && !session) return reply(res, 404, "Unknown or expired session: start a new one with initialize.");
    if (req.method === "POST") {
      const read = await readJson(req, maxBytes);
      // A 413 keeps the connection while the rest of the body drains (readJson), so the client reads it instead of a reset.
      if ("status" in read) return read.status === 413 ? reply(res, 413, `Request body over ${maxBytes} bytes: send smaller requests.`) : reply(res, 400, "Request body is not JSON.", { connection: "close" });
      if (session) return session.handleRequest(req, res, read.body);
      if (isInitializeRequest(read.body)) {
        if (!sessions.hasRoom()) return reply(res, 503, `Too many sessions (${sessions.max}): close one (DELETE ${MCP_PATH}) or retry later.`, { "retry-after": "30" });
        return openSession(req, res, read.body);
      }
      return reply(res, 400, "No session: send initialize first, then pass its Mcp-Session-Id header.");
    }
    if (req.method === "GET" || req.method === "DELETE") {
      if (!session) return reply(res, 400, "Missing Mcp-Session-Id header.");
      return session.handleRequest(req, res);
    }
    return reply(res, 405, `Method ${req.method} not allowed on ${MCP_PATH}.`, { allow: "GET, POST, DELETE" });
  }

  const headersTimeout = opts.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, headersTimeout);
  const server: Server = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`redis-pilot mcp: request failed: ${redactText(errorMessage(err))}\n`);
      reply(res, 500, "Internal server error.");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE" || err.code === "EADDRNOTAVAIL" || err.code === "EACCES"
          ? new ValidationError(`Cannot listen on ${opts.host}:${opts.port} (${err.code}).`, "Pick another --port (0 picks a free one) or --host.")
          : err,
      ),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  policy = { allowedHosts: allowedHosts(opts.host, port, opts.allowedHosts), token: opts.token };
  const shown = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shown}:${port}${MCP_PATH}`,
    hosts: policy.allowedHosts,
    async close() {
      clearInterval(sweep);
      await Promise.all(sessions.values().map((t) => t.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
