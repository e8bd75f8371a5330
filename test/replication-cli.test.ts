// The replication and Sentinel verbs as a user meets them: the built CLI and an MCP
// client on real servers, fed the issue's bad inputs (a replica of itself, a replication
// loop, a wrong password, sentinels where none run, an unreachable address). Each is one
// sentence naming the next step in that front end's words ('redis-pilot ...' on the
// command line, tool names over MCP), exit code 1, and nothing changed.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labUp } from "../src/lab/index.js";
import { formatAddress, parseAddress } from "../src/redis/address.js";
import { useTempLabHome } from "./helpers/env.js";
import { runBin } from "./helpers/cli.js";
import { stdioClient, textOf, type StdioSession } from "./helpers/mcp-client.js";
import { startServers, type Servers } from "./helpers/servers.js";

useTempLabHome();
let a: string, b: string, c: string;
let guarded: Servers;
let mcp: StdioSession;

async function roleOf(address: string, password?: string): Promise<string> {
  const { host, port } = parseAddress(address);
  const r = new Redis({ host, port, password, lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await r.connect();
    const info = String(await r.call("INFO", "replication"));
    return `${info.match(/^role:(\w+)/m)?.[1]}${info.match(/^master_port:(\d+)/m) ? ` of ${info.match(/^master_port:(\d+)/m)![1]}` : ""}`;
  } finally {
    r.disconnect();
  }
}
const roles = () => Promise.all([a, b, c].map((x) => roleOf(x)));

beforeAll(async () => {
  const lab = await labUp({ name: "cli-rep", nodes: 3, cluster: false, config: { "repl-diskless-sync-delay": "0" } });
  [a, b, c] = lab.nodes.map((n) => formatAddress(n));
  guarded = await startServers(1, { password: "right-pw", cluster: false });
  mcp = await stdioClient();
  const attach = await runBin(["replication", "attach", a, b, "--yes"]);
  expect(attach.code, attach.stderr).toBe(0);
});
afterAll(async () => {
  await mcp?.client.close();
  await guarded?.stop();
});

/** stderr of a failed verb: exactly one "error: ..." line. */
function oneError(r: { code: number; stderr: string }): string {
  expect(r.code).toBe(1);
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("error: "));
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0];
}

describe("bad inputs change nothing and say so in one sentence", () => {
  it("a replica of itself, a replication loop, a chain: refused in CLI words, roles unchanged", async () => {
    const before = await roles();
    expect(oneError(await runBin(["replication", "attach", a, a, "--yes"]))).toBe(`error: ${a} cannot be a replica of itself (it is the master ${a}). Name a different node as the replica.`);
    const loop = oneError(await runBin(["replication", "attach", b, a, "--yes"]));
    expect(loop).toMatch(new RegExp(`^error: Making ${a} a replica of ${b} would create a replication loop: .* Promote one of them first \\('redis-pilot replication promote'\\), or attach both to one master\\.$`));
    expect(oneError(await runBin(["replication", "attach", b, c, "--yes"]))).toMatch(new RegExp(`^error: ${b} is itself a replica of ${a}: its replicas would form a chain\\.`));
    expect(await roles()).toEqual(before);
  });

  it("the same loop over MCP names the tool, not the command", async () => {
    const r = await mcp.client.callTool({ name: "replication_attach", arguments: { lab: "cli-rep", master: b, replicas: [a], confirm: true } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/Promote one of them first \(replication_promote\), or attach both to one master\./);
  });

  it("a wrong password and an unreachable address: one sentence, exit 1", async () => {
    const [server] = guarded.addresses;
    expect(oneError(await runBin(["replication", "check", server, "-a", "wrong-pw"]))).toMatch(new RegExp(`^error: Authentication failed at ${server}\\.`));
    expect(oneError(await runBin(["replication", "attach", server, c, "-a", "wrong-pw", "--yes"]))).toMatch(/^error: Authentication failed/);
    expect(oneError(await runBin(["replication", "lag", "127.0.0.1:1"]))).toBe("error: Cannot reach 127.0.0.1:1: connection refused. Check that the server at 127.0.0.1:1 is running and reachable, then retry.");
    expect(await roleOf(server, "right-pw")).toBe("master");
    expect(await roleOf(c)).toBe("master");
  });

  it("Sentinel verbs on a lab without sentinels point at a lab that has them, in each front end's words", async () => {
    expect(oneError(await runBin(["sentinel", "check", "--lab", "cli-rep"]))).toBe("error: Lab cli-rep runs no sentinels. Start one that does: 'redis-pilot lab up --template active-passive' (or with --sentinels 3).");
    const r = await mcp.client.callTool({ name: "sentinel_failover", arguments: { lab: "cli-rep", confirm: true } });
    expect(textOf(r)).toMatch(/Lab cli-rep runs no sentinels\. Start one that does: lab_up with template: active-passive \(or with sentinels: 3\)\./);
  });

  it("replication info shows the set: roles, masters, cluster mode", async () => {
    const info = await runBin(["replication", "info", b, "--json"]);
    expect(info.code).toBe(0);
    const out = JSON.parse(info.stdout) as { nodes: { address: string; role: string; master?: string; clusterEnabled: boolean }[]; unreachable: unknown[] };
    expect(out.nodes.map((n) => [n.address, n.role, n.master ?? "", n.clusterEnabled])).toEqual([
      [a, "master", "", false],
      [b, "replica", a, false],
    ]);
    expect(out.unreachable).toEqual([]);
  });

  it("attach with no master and no place says what to give, in each front end's words", async () => {
    expect(oneError(await runBin(["replication", "attach", "--yes"]))).toBe("error: Name the master to attach replicas to. Give the master (HOST:PORT), or a lab, target or node list whose first node is the master.");
    const r = await mcp.client.callTool({ name: "replication_attach", arguments: { confirm: true } });
    expect(textOf(r)).toMatch(/Give the master \(master: HOST:PORT\), or a lab, target or node list whose first node is the master\./);
  });

  it("switchover with a lab and no master finds the one master with replicas; with neither it says what to give", async () => {
    expect(oneError(await runBin(["replication", "switchover"]))).toBe("error: Name the master to switch over from. Give the master (HOST:PORT), or a lab or target that has one master.");
    const r = await mcp.client.callTool({ name: "replication_switchover", arguments: {} });
    expect(textOf(r)).toMatch(/Give the master \(master: HOST:PORT\), or a lab or target that has one master\./);
    const dry = await runBin(["replication", "switchover", "--lab", "cli-rep", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`would switch over from ${a} to ${b}`);
  });
});
