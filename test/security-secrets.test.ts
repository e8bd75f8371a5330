// Issue 9, item 6: secrets are redacted by value, not by phrasing: a password written
// any of a dozen ways into an agent request never reaches the transcript or the printed
// run, and the lab gets it (or the request is refused, never silently run without it);
// DEBUG=ioredis:* shows no AUTH argument; a hostile server that echoes the password in
// its error replies cannot make an error, a log line or an MCP result show it.
import { createServer, type Server } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAgent, type AgentRun } from "../src/agent/run.js";
import { runJson } from "../src/cli/agent.js";
import { labUp, listLabs } from "../src/lab/index.js";
import { connect } from "../src/redis/connection.js";
import { formatAddress } from "../src/redis/address.js";
import { downAllLabs, useTempLabHome } from "./helpers/env.js";
import { runBin } from "./helpers/cli.js";
import { stdioClient, textOf } from "./helpers/mcp-client.js";

useTempLabHome();
const dir = mkdtempSync(join(tmpdir(), "redis-pilot-secrets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PW = "Zq9-secret-77";
const PHRASINGS = [
  `create a 6 node cluster with 3 masters and password ${PW}`,
  `create a 6 node cluster with 3 masters using ${PW} as the password`,
  `create a 6 node cluster with 3 masters, -a ${PW}`,
  `create a 6 node cluster with 3 masters REDISCLI_AUTH=${PW}`,
  `create a 6 node cluster with 3 masters at redis://:${PW}@127.0.0.1:6379`,
  `create a 6 node cluster with 3 masters, password: ${PW}`,
  `create a 6 node cluster with 3 masters, the password is '${PW}'`,
  `create a 6 node cluster with 3 masters and requirepass ${PW}`,
  `create a 6 node cluster with 3 masters protected by password "${PW}"`,
  `create a 6 node cluster with 3 masters with the password set to ${PW}`,
  `create a 6 node cluster with 3 masters; auth ${PW}`,
  `create a 6 node cluster with 3 masters and use redis://default:${PW}@127.0.0.1:6379 credentials`,
  `create a 6 node cluster with 3 masters, --pass ${PW}`,
  `create a 6 node cluster with 3 masters secured with ${PW} as its password`,
];

describe("a password in an agent request", () => {
  afterEach(downAllLabs);

  it.each(PHRASINGS)("%s: never written, and honoured or refused", async (request) => {
    const transcript = join(dir, `${PHRASINGS.indexOf(request)}.jsonl`);
    const r: AgentRun = await runAgent({ request, planner: "builtin", config: { targets: {} }, dryRun: true, transcriptPath: transcript });
    expect(readFileSync(transcript, "utf8")).not.toContain(PW);
    expect(runJson(r)).not.toContain(PW);
    if (r.outcome === "refused") {
      expect(r.message).toMatch(/password/i);
    } else {
      expect(r.outcome, r.message).toBe("planned");
      const up = r.steps.find((s) => s.tool === "lab_up");
      expect(up?.args, "the lab must get the password").toHaveProperty("password");
    }
  });

  it("honoured for real: the lab the agent starts requires that password", async () => {
    const transcript = join(dir, "real.jsonl");
    const r = await runAgent({ request: `create a 6 node cluster with 3 masters using ${PW} as the password`, planner: "builtin", config: { targets: {} }, transcriptPath: transcript });
    expect(r.outcome, r.message).toBe("verified");
    expect(readFileSync(transcript, "utf8")).not.toContain(PW);
    const [lab] = await listLabs();
    const node = formatAddress(lab.nodes[0]);
    await expect(connect(node)).rejects.toMatchObject({ code: "auth_failed" });
    (await connect(node, { password: PW })).disconnect();
  });
});

describe("debug output, errors and logs", () => {
  it("DEBUG=ioredis:* shows the commands but never the AUTH argument", async () => {
    const secret = "dbg-secret-4417";
    await labUp({ name: "dbg", nodes: 1, password: secret });
    try {
      for (const args of [["cluster", "info", "--lab", "dbg"], ["cluster", "check", "--lab", "dbg"]]) {
        const r = await runBin(args, { DEBUG: "ioredis:*" });
        expect(r.stderr).toMatch(/ioredis/);
        expect(r.stderr).toMatch(/auth\(\[/i);
        expect(r.stderr + r.stdout).not.toContain(secret);
      }
    } finally {
      await downAllLabs();
    }
  });

  let echo: Server;
  let echoAddress: string;
  beforeAll(async () => {
    // A hostile server: every reply is an error that repeats what it was sent (AUTH and its password included).
    echo = createServer((s) => {
      s.on("error", () => {});
      s.on("data", (d) => s.write(`-ERR you sent ${d.toString("latin1").replace(/\r\n/g, " ")}\r\n`));
    });
    await new Promise<void>((r) => echo.listen(0, "127.0.0.1", () => r()));
    echoAddress = `127.0.0.1:${(echo.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => echo.close(() => r())));

  it("a server echoing the password back: not in the CLI's error, its JSON, or a debug log", async () => {
    const secret = "echo-secret-9931";
    for (const args of [["cluster", "check", echoAddress], ["cluster", "info", echoAddress, "--json"], ["cluster", "check", echoAddress, "-a", secret]]) {
      const r = await runBin(args, { REDISCLI_AUTH: secret, REDIS_PILOT_LOG: "debug", DEBUG: "ioredis:*" });
      expect(r.code).not.toBe(0);
      expect(r.stderr + r.stdout).not.toContain(secret);
    }
  });

  it("over MCP: a target's password echoed by its server never reaches the result", async () => {
    const secret = "mcp-echo-secret-5512";
    const file = join(dir, "echo.json");
    writeFileSync(file, JSON.stringify({ targets: { hostile: { nodes: [echoAddress], passwordEnv: "RP_ECHO_PW" } } }));
    process.env.RP_ECHO_PW = secret;
    const s = await stdioClient(["--config", file]);
    try {
      for (const name of ["cluster_check", "cluster_info"]) {
        const r = await s.client.callTool({ name, arguments: { target: "hostile" } });
        expect(r.isError).toBe(true);
        expect(JSON.stringify(r)).not.toContain(secret);
      }
      expect(s.stderr()).not.toContain(secret);
    } finally {
      await s.client.close();
      delete process.env.RP_ECHO_PW;
    }
  });
});
