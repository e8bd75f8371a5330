// Streamable HTTP as a remote client sees it: the bearer token, DNS-rebinding
// protection (Host, Origin), the body cap, then real sessions through the SDK's
// Client — progress notifications on a tool call, and a destructive call that the
// user declines and then accepts through elicitation.
import { request } from "node:http";
import type { ElicitResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempLabHome } from "./helpers/env.js";
import { childEnv, httpClient, startHttpServer, stopHttpServers, textOf } from "./helpers/mcp-client.js";

useTempLabHome();
const TOKEN = "test-token-0123456789-abcdefghij";
const LAB = "mcp-http";
let url: URL;

beforeAll(async () => {
  const server = await startHttpServer(childEnv({ REDIS_PILOT_MCP_TOKEN: TOKEN }));
  url = server.url;
  expect(server.stderr()).not.toContain(TOKEN);
});

afterAll(stopHttpServers);

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A POST with full control of the headers (fetch will not send a foreign Host). An
 * array body goes out chunked, with no Content-Length to refuse it by.
 */
function rawPost(headers: Record<string, string>, body: string | Buffer | Buffer[] = JSON.stringify(initialize(1)), to: URL = url): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(to, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    if (!Array.isArray(body)) return void req.end(body);
    for (const part of body) req.write(part);
    req.end();
  });
}

function initialize(id: number) {
  return { jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } };
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe("HTTP guard", () => {
  // Headers are built per test: the port is known only once the server is up.
  it.each<[string, () => Record<string, string>, number]>([
    ["no token", () => ({}), 401],
    ["a wrong token", () => ({ authorization: "Bearer not-the-token-at-all-0000" }), 401],
    ["a foreign Host (DNS rebinding)", () => ({ ...auth, host: `evil.example:${url.port}` }), 403],
    ["a foreign Origin", () => ({ ...auth, origin: "https://evil.example" }), 403],
  ])("refuses %s", async (_, headers, status) => {
    const r = await rawPost(headers());
    expect(r.status).toBe(status);
    expect(JSON.parse(r.body).error.message.length).toBeGreaterThan(10);
    if (status === 401) expect(r.headers["www-authenticate"]).toMatch(/^Bearer/);
  });

  it("refuses a body over 1 MiB with 413, declared or streamed", async () => {
    expect((await rawPost(auth, Buffer.alloc(1024 * 1024 + 1, " "))).status).toBe(413);
    const streamed = await rawPost({ ...auth, "transfer-encoding": "chunked" }, [Buffer.alloc(700 * 1024, " "), Buffer.alloc(700 * 1024, " ")]);
    expect(streamed.status).toBe(413);
  });

  it("refuses an unknown session with 404", async () => {
    const r = await rawPost({ ...auth, "mcp-session-id": "no-such-session" }, JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
    expect(r.status).toBe(404);
  });

  it("generates a token when none is set, prints it once, and accepts it", async () => {
    const env = childEnv();
    delete env.REDIS_PILOT_MCP_TOKEN;
    const server = await startHttpServer(env);
    const token = /bearer token \(shown once[^)]*\): (\S+)/.exec(server.stderr())?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(server.stderr().split(token!).length - 1).toBe(1);
    expect((await rawPost({ authorization: `Bearer ${token}` }, undefined, server.url)).status).toBe(200);
    expect((await rawPost(auth, undefined, server.url)).status).toBe(401);
  });

  it("caps live sessions (503 past --max-sessions) and frees a slot on DELETE", async () => {
    const server = await startHttpServer(childEnv({ REDIS_PILOT_MCP_TOKEN: TOKEN }), ["--max-sessions", "1"]);
    const first = await rawPost(auth, undefined, server.url);
    expect(first.status).toBe(200);
    const full = await rawPost(auth, undefined, server.url);
    expect(full.status).toBe(503);
    expect(JSON.parse(full.body).error.message).toMatch(/Too many sessions/);
    const id = String(first.headers["mcp-session-id"]);
    const deleted = await new Promise<number>((resolve, reject) => {
      const req = request(server.url, { method: "DELETE", headers: { ...auth, "mcp-session-id": id } }, (res) => (res.resume(), resolve(res.statusCode!)));
      req.on("error", reject).end();
    });
    expect(deleted).toBe(200);
    expect((await rawPost(auth, undefined, server.url)).status).toBe(200);
  });

  it("serves the names given with --allowed-host, and no others", async () => {
    const server = await startHttpServer(childEnv({ REDIS_PILOT_MCP_TOKEN: TOKEN }), ["--allowed-host", "Pilot.Test", "--allowed-host", "proxy.test:443"]);
    const port = server.url.port;
    expect((await rawPost({ ...auth, host: `pilot.test:${port}` }, undefined, server.url)).status).toBe(200);
    expect((await rawPost({ ...auth, host: "proxy.test:443" }, undefined, server.url)).status).toBe(200);
    expect((await rawPost({ ...auth, host: `evil.example:${port}` }, undefined, server.url)).status).toBe(403);
    expect((await rawPost({ ...auth, host: `pilot.test:${Number(port) + 1}` }, undefined, server.url)).status).toBe(403);
  });

  it("refuses an --allowed-host that is not a host name, before listening", async () => {
    await expect(startHttpServer(childEnv({ REDIS_PILOT_MCP_TOKEN: TOKEN }), ["--allowed-host", "evil.example/x"])).rejects.toThrow(
      /--allowed-host evil\.example\/x is not a host name .+ Pass the name clients put in the Host header/,
    );
  });

  it("serves a loopback Origin with the right token", async () => {
    const r = await rawPost({ ...auth, origin: `http://localhost:${url.port}` });
    expect(r.status).toBe(200);
    expect(r.headers["mcp-session-id"]).toBeTruthy();
  });
});

describe("MCP over Streamable HTTP", () => {
  it("lists tools in a session", async () => {
    const c = await httpClient(url, TOKEN);
    try {
      expect(c.transport.sessionId).toBeTruthy();
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(["lab_up", "lab_down", "cluster_check"]));
    } finally {
      await c.close();
    }
  });

  it("sends progress, and confirms lab_down through elicitation: declined, then accepted", async () => {
    const asked: string[] = [];
    let answer: ElicitResult = { action: "decline" };
    const c = await httpClient(url, TOKEN, (message) => {
      asked.push(message);
      return answer;
    });
    try {
      const progress: Progress[] = [];
      const up = await c.client.callTool({ name: "lab_up", arguments: { name: LAB, nodes: 2 } }, undefined, { onprogress: (p) => progress.push(p) });
      expect(up.isError, textOf(up)).toBeFalsy();
      expect(progress.map((p) => [p.progress, p.total])).toEqual([[1, 2], [2, 2]]);

      const declined = await c.client.callTool({ name: "lab_down", arguments: { name: LAB } });
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain(`Would stop lab ${LAB}: 2 nodes`);
      expect(declined.isError).toBe(true);
      expect(textOf(declined)).toMatch(new RegExp(`^The user declined lab_down; nothing was changed\\.`));
      expect(textOf(declined)).not.toContain("confirm: true");
      expect((await c.client.callTool({ name: "lab_list", arguments: {} })).structuredContent).toMatchObject({ labs: [{ name: LAB }] });

      // The model's own confirm: true does not skip the user when the client can ask.
      answer = { action: "accept", content: { confirm: true } };
      const accepted = await c.client.callTool({ name: "lab_down", arguments: { name: LAB, confirm: true } });
      expect(asked).toHaveLength(2);
      expect(accepted.isError, textOf(accepted)).toBeFalsy();
      expect(accepted.structuredContent).toMatchObject({ name: LAB, dryRun: false });
      expect((await c.client.callTool({ name: "lab_list", arguments: {} })).structuredContent).toEqual({ labs: [], broken: [] });
    } finally {
      await c.close();
    }
  });
});
