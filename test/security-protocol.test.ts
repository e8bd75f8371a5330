// Issue 9, item 8: the smaller holes, each on real servers and through the real MCP
// client or the built CLI: a non-Redis server is named as such; cluster check/info take
// --timeout and their advice speaks the CLI's words there and MCP's over MCP; cluster
// info exits 1 when a node refuses the password; bad protocol parameters are -32602 in
// one sentence; no error echoes a huge argument; prompt arguments are bounded; a stdio
// message over the limit is refused and the session goes on; HTTP answers a streamed
// oversized body with 413, and drops slow headers and bodies; malformed percent-encoding
// in a resource URI is -32602.
import { request } from "node:http";
import { connect as tcpConnect, createServer, type Server } from "node:net";
import { CallToolResultSchema, GetPromptResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCluster } from "../src/ops/cluster-create/index.js";
import { connect } from "../src/redis/connection.js";
import { uniformAccess } from "../src/redis/node-access.js";
import { createDeps } from "../src/mcp/deps.js";
import { serveHttp } from "../src/mcp/http.js";
import { useTempLabHome } from "./helpers/env.js";
import { runBin } from "./helpers/cli.js";
import { childEnv, startHttpServer, stdioClient, stopHttpServers, textOf, type StdioSession } from "./helpers/mcp-client.js";
import { startServers, type Servers } from "./helpers/servers.js";

useTempLabHome();

async function listen(onConnection: (s: import("node:net").Socket) => void): Promise<{ server: Server; address: string }> {
  const server = createServer((s) => {
    s.on("error", () => {});
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { server, address: `127.0.0.1:${(server.address() as { port: number }).port}` };
}

let http: { server: Server; address: string };
let silent: { server: Server; address: string };
let s: StdioSession;
beforeAll(async () => {
  // A web server where a Redis was expected, and a server that accepts and never answers.
  http = await listen((sock) => sock.once("data", () => sock.end("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")));
  silent = await listen((sock) => sock.resume());
  s = await stdioClient();
});
afterAll(async () => {
  await s?.client.close();
  await stopHttpServers();
  for (const x of [http, silent]) await new Promise<void>((r) => x.server.close(() => r()));
});

describe("wording of what went wrong", () => {
  it("a non-Redis server: reached, but not Redis (CLI and MCP)", async () => {
    const r = await runBin(["cluster", "check", http.address]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${http.address} answered, but not in the Redis protocol (it began with "H"): it is not a Redis server, or it expects TLS.`);
    expect(r.stderr).not.toMatch(/Cannot reach|report this/i);
    const m = await s.client.callTool({ name: "cluster_info", arguments: { nodes: [http.address] } });
    expect(textOf(m)).toContain("answered, but not in the Redis protocol");
  });

  it("cluster check --timeout, with advice in the CLI's words; over MCP in MCP's", async () => {
    const r = await runBin(["cluster", "check", silent.address, "--timeout", "300"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`A reply from ${silent.address} did not happen within 300 ms.`);
    expect(r.stderr).toContain("Check the nodes with 'redis-pilot cluster check'; if the servers are only slow, raise --timeout.");
    expect(r.stderr).not.toMatch(/cluster_check|timeoutMs/);
    const m = await s.client.callTool({ name: "cluster_check", arguments: { nodes: [silent.address], timeoutMs: 300 } });
    expect(textOf(m)).toContain("Check the nodes with cluster_check; if the servers are only slow, raise timeoutMs.");
  });
});

describe("cluster info exit code", () => {
  let servers: Servers;
  const PW = "info-exit-pw-31";
  beforeAll(async () => {
    servers = await startServers(3, { password: PW });
    await createCluster({ addresses: servers.addresses, replicas: 0, access: uniformAccess({ password: PW }) }, { progress: () => {} });
    // One node now refuses the password every other node is reached with.
    const c = await connect(servers.addresses[2], { password: PW });
    await c.call("CONFIG", "SET", "requirepass", "another-pw-77");
    c.disconnect();
  });
  afterAll(() => servers?.stop());

  it("exits 1 when a node refuses the password, and says which", async () => {
    const r = await runBin(["cluster", "info", servers.addresses[0]], { REDISCLI_AUTH: PW });
    expect(r.stdout).toContain(`${servers.addresses[2]} unreachable: Authentication failed`);
    expect(r.code).toBe(1);
  });
});

describe("MCP protocol-level input", () => {
  it("arguments: null is -32602 Invalid params in one sentence, not -32603 with zod's JSON", async () => {
    const err = await s.client.request({ method: "tools/call", params: { name: "lab_list", arguments: null } } as never, CallToolResultSchema).catch((e) => e);
    expect(err).toMatchObject({ code: -32602 });
    expect(err.message).toContain("Invalid params for tools/call: params.arguments must be an object, not null.");
    expect(err.message).not.toMatch(/"code"|expected/);
  });

  it("no error echoes a 1 MB argument", async () => {
    const huge = "x".repeat(1_000_000);
    const unknownTool = await s.client.callTool({ name: huge, arguments: {} });
    expect(textOf(unknownTool).length).toBeLessThan(3000);
    const badNode = await s.client.callTool({ name: "cluster_check", arguments: { nodes: [huge] } });
    expect(textOf(badNode)).toContain("(1000000 characters)");
    expect(textOf(badNode).length).toBeLessThan(3000);
    const prompt = await s.client.getPrompt({ name: huge }).catch((e) => e);
    expect(prompt.message.length).toBeLessThan(3000);
    const target = await s.client.callTool({ name: "cluster_check", arguments: { target: huge } });
    expect(textOf(target).length).toBeLessThan(3000);
  });

  it("prompt arguments have a size limit", async () => {
    const err = await s.client.request({ method: "prompts/get", params: { name: "health-check", arguments: { lab: "y".repeat(100_000) } } }, GetPromptResultSchema).catch((e) => e);
    expect(err).toMatchObject({ code: -32602 });
    expect(err.message).toContain("Prompt argument 'lab' is 100000 characters long; at most 4096 are taken.");
  });

  it("malformed percent-encoding in a resource URI is -32602, not an internal error", async () => {
    const err = await s.client.readResource({ uri: "redis-pilot://lab/%E0%A4%A/topology.json" }).catch((e) => e);
    expect(err).toMatchObject({ code: -32602 });
    expect(err.message).toContain("malformed percent-encoding");
    expect(err.message).not.toMatch(/Internal error|bug/);
  });

  it("a stdio message over the limit is refused with -32600, and the session goes on", async () => {
    const own = await stdioClient();
    try {
      const err = await own.client.callTool({ name: "cluster_check", arguments: { nodes: ["z".repeat(11 * 1024 * 1024)] } }, undefined, { timeout: 30_000 }).catch((e) => e);
      expect(err).toMatchObject({ code: -32600 });
      expect(err.message).toContain("over 4194304 bytes");
      expect((await own.client.listTools()).tools.length).toBeGreaterThan(0);
    } finally {
      await own.client.close();
    }
  });
});

describe("HTTP limits", () => {
  const TOKEN = "http-limits-token-0123456789";

  it("a body streamed past 1 MiB gets 413, not a reset (16 MiB bodies, three times)", async () => {
    const server = await startHttpServer(childEnv({ REDIS_PILOT_MCP_TOKEN: TOKEN }));
    const post = () =>
      new Promise<number | string>((resolve) => {
        const req = request(server.url, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
        const chunk = Buffer.alloc(64 * 1024, " ");
        let sent = 0;
        const pump = () => {
          while (sent < 16 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          req.end();
        };
        pump();
      });
    expect([await post(), await post(), await post()]).toEqual([413, 413, 413]);
  });

  it("slow headers and slow bodies are dropped after their timeouts, not held for minutes", async () => {
    const running = await serveHttp(createDeps([]), { host: "127.0.0.1", port: 0, token: TOKEN, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const { port } = new URL(running.url);
    const closedAfter = (payload: string) =>
      new Promise<string>((resolve) => {
        const sock = tcpConnect({ host: "127.0.0.1", port: Number(port) }, () => sock.write(payload));
        let got = "";
        sock.on("data", (d) => (got += d));
        sock.on("error", () => {});
        sock.on("close", () => resolve(got));
      });
    try {
      const headers = await closedAfter(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
      expect(headers).toMatch(/^HTTP\/1\.1 408|^$/);
      const body = await closedAfter(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"jsonrpc"`);
      expect(body).toMatch(/^HTTP\/1\.1 408|^$/);
    } finally {
      await running.close();
    }
  });
});
