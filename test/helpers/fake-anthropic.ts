/**
 * A local stand-in for the Anthropic Messages API: a node:http server on 127.0.0.1 that
 * answers POST /v1/messages with scripted assistant turns and records every request.
 * The real @anthropic-ai/sdk client talks to it (baseURL), so request shape, headers,
 * tool_use/tool_result pairing and response parsing are all exercised for real.
 * Like the real API it rejects a thread whose tool_use blocks lack their tool_results.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Block =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "stop_sequence" | "refusal" | "pause_turn";

export interface ScriptedReply {
  stop_reason: StopReason;
  content: Block[];
}

interface ContentParam {
  type: string;
  id?: string;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
  text?: string;
}

export interface MessagesRequest {
  model: string;
  max_tokens: number;
  system?: string;
  tools?: { name: string; description: string; input_schema: Record<string, unknown> }[];
  messages: { role: "user" | "assistant"; content: string | ContentParam[] }[];
}

export interface RecordedRequest {
  body: MessagesRequest;
  headers: IncomingMessage["headers"];
}

/** A turn is a fixed reply, or a function of the request (to assert on it, or act between steps). */
export type ScriptedTurn = ScriptedReply | ((req: MessagesRequest) => ScriptedReply | Promise<ScriptedReply>);

export interface FakeAnthropic {
  baseURL: string;
  requests: RecordedRequest[];
  /** Scripted turns not yet played. */
  remaining(): number;
  close(): Promise<void>;
}

let toolIds = 0;
export const text = (t: string): Block => ({ type: "text", text: t });
export const toolUse = (name: string, input: Record<string, unknown>, id = `toolu_fake_${++toolIds}`): Block => ({ type: "tool_use", id, name, input });
export const reply = (stop_reason: StopReason, ...content: Block[]): ScriptedReply => ({ stop_reason, content });

/** The tool_result blocks of the last user message (what the loop sent back). */
export function lastToolResults(req: MessagesRequest): ContentParam[] {
  const last = req.messages[req.messages.length - 1];
  return Array.isArray(last.content) ? last.content.filter((b) => b.type === "tool_result") : [];
}

/** Why a request would be a 400 at the real API, or undefined. */
function invalid(body: MessagesRequest): string | undefined {
  if (typeof body.model !== "string" || !body.model) return "model: Field required";
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return "max_tokens: Field required";
  if (!Array.isArray(body.messages) || body.messages[0]?.role !== "user") return "messages: first message must use the user role";
  for (const t of body.tools ?? []) {
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(t.name) || t.input_schema?.type !== "object") return `tools: invalid tool ${t.name}`;
  }
  for (let i = 0; i < body.messages.length; i++) {
    const m = body.messages[i];
    if (i > 0 && m.role === body.messages[i - 1].role) return `messages.${i}: roles must alternate`;
    const uses = m.role === "assistant" && Array.isArray(m.content) ? m.content.filter((b) => b.type === "tool_use").map((b) => b.id) : [];
    if (!uses.length) continue;
    const next = body.messages[i + 1];
    if (!next) continue;
    const answered = new Set(Array.isArray(next.content) ? next.content.filter((b) => b.type === "tool_result").map((b) => b.tool_use_id) : []);
    const missing = uses.filter((id) => !answered.has(id));
    if (missing.length) return `messages.${i + 1}: tool_use ids without tool_result blocks: ${missing.join(", ")}`;
  }
  return undefined;
}

/** The credential a request carried, however the SDK sent it. */
export function apiKeyOf(headers: IncomingMessage["headers"]): string | undefined {
  const key = headers["x-api-key"];
  if (typeof key === "string" && key) return key;
  return /^Bearer (.+)$/.exec(headers.authorization ?? "")?.[1];
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_fake_${Date.now()}` });
  res.end(JSON.stringify(payload));
}

const apiError = (type: string, message: string) => ({ type: "error", error: { type, message } });

export async function startFakeAnthropic(turns: ScriptedTurn[]): Promise<FakeAnthropic> {
  const script = [...turns];
  const requests: RecordedRequest[] = [];
  let messageIds = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== "POST" || !req.url?.startsWith("/v1/messages")) return send(res, 404, apiError("not_found_error", `No route ${req.method} ${req.url}`));
    // SDK versions differ: x-api-key, or an Authorization bearer token.
    if (!apiKeyOf(req.headers)) return send(res, 401, apiError("authentication_error", "x-api-key or authorization header is required"));
    let body: MessagesRequest;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as MessagesRequest;
    } catch {
      return send(res, 400, apiError("invalid_request_error", "body is not JSON"));
    }
    requests.push({ body, headers: req.headers });
    const why = invalid(body);
    if (why) return send(res, 400, apiError("invalid_request_error", why));
    const turn = script.shift();
    // 400, not 5xx: the SDK retries 5xx, and an exhausted script is a test bug to surface at once.
    if (!turn) return send(res, 400, apiError("invalid_request_error", "fake-anthropic: the script has no more turns"));
    try {
      const r = typeof turn === "function" ? await turn(body) : turn;
      const out = r.content.map((b) => (b.type === "text" ? b.text : JSON.stringify(b.input)).length).reduce((a, n) => a + n, 0);
      send(res, 200, {
        id: `msg_fake_${++messageIds}`,
        type: "message",
        role: "assistant",
        model: body.model,
        content: r.content,
        stop_reason: r.stop_reason,
        stop_sequence: null,
        usage: { input_tokens: Math.ceil(JSON.stringify(body).length / 4), output_tokens: Math.ceil(out / 4) },
      });
    } catch (err) {
      send(res, 400, apiError("invalid_request_error", `fake-anthropic: scripted turn threw: ${(err as Error).message}`));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    remaining: () => script.length,
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
