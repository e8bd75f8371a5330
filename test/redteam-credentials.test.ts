// Red team, registry-wide: a target's password reaches only that target's servers and
// the peers they report, never an address the caller put into any argument. For every
// tool in the registry (now and to come), each address-like argument in turn points at a
// listener of ours that logs what it receives, next to mutable targets that hold a
// cluster, a replicated master and a sentinel (all with the password). Mutating tools
// run as dry runs (a dry run connects and reads as the real run does), read-only tools
// for real; both as a model would (MCP) and as the CLI operator.
// Found: cluster_add_node's newNode, sentinel_monitor's master and
// replication_switchover's sentinels were admitted as peers of the target and got its
// password (and its permission to change them). No such call may end in "Internal error".
import type { Redis } from "ioredis";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allTools } from "../tools/index.js";
import { createCluster } from "../src/ops/cluster-create/index.js";
import { connect } from "../src/redis/connection.js";
import { uniformAccess } from "../src/redis/node-access.js";
import { invokeTool } from "../src/registry/invoke.js";
import type { AnyTool } from "../src/registry/tool.js";
import { parseConfig } from "../src/targets/config.js";
import { createResolver } from "../src/targets/resolver.js";
import { useTempLabHome } from "./helpers/env.js";
import { startFakeRedis, type FakeRedis } from "./helpers/fake-redis.js";
import { startServers, type Servers } from "./helpers/servers.js";

useTempLabHome();
const PW = "pw-containment-90317";
process.env.RP_CONTAIN_PW = PW;
let cluster: Servers, pair: Servers, sentinel: Servers;
let trap: FakeRedis;
const clients: Redis[] = [];

beforeAll(async () => {
  [cluster, pair, sentinel] = await Promise.all([startServers(3, { password: PW }), startServers(2, { password: PW, cluster: false }), startServers(1, { password: PW, sentinel: true })]);
  await createCluster({ addresses: cluster.addresses, replicas: 0, access: uniformAccess({ password: PW }) }, { progress: () => {} });
  const [master, replica] = pair.addresses.map((a) => a.split(":"));
  const r = await connect(pair.addresses[1], { password: PW });
  const s = await connect(sentinel.addresses[0], { password: PW });
  clients.push(r, s);
  await r.call("REPLICAOF", master[0], master[1]);
  await s.call("SENTINEL", "MONITOR", "mymaster", master[0], master[1], "1");
  await s.call("SENTINEL", "SET", "mymaster", "auth-pass", PW);
  void replica;
  trap = await startFakeRedis();
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await trap?.close();
  await Promise.all([cluster?.stop(), pair?.stop(), sentinel?.stop()]);
});

const TARGET_FIELDS = ["lab", "target", "nodes"];
type JsonSchema = { type?: string | string[]; enum?: unknown[]; minimum?: number; exclusiveMinimum?: number; items?: JsonSchema; properties?: Record<string, JsonSchema>; required?: string[]; default?: unknown; anyOf?: JsonSchema[] };

const typeOf = (s: JsonSchema): string | undefined => (s.anyOf ? typeOf(s.anyOf[0]) : Array.isArray(s.type) ? s.type[0] : s.type);
/** A field that can carry an address: a free string, or a list of them. */
const addressLike = (s: JsonSchema) => !s.enum && (typeOf(s) === "string" || (typeOf(s) === "array" && typeOf(s.items ?? {}) === "string" && !s.items?.enum));

function sample(s: JsonSchema, node: string): unknown {
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if (s.anyOf) return sample(s.anyOf[0], node);
  const type = typeOf(s);
  if (type === "string") return node;
  if (type === "integer" || type === "number") return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
  if (type === "boolean") return false;
  if (type === "array") return [sample(s.items ?? { type: "string" }, node)];
  if (type === "object") return Object.fromEntries((s.required ?? []).map((k) => [k, sample(s.properties![k], node)]));
  return node;
}

/** One call per address-like field: that field points at the trap, the required others at a real node of the target. */
function callsFor(tool: AnyTool, seed: string): Record<string, unknown>[] {
  const schema = z.toJSONSchema(tool.input, { io: "input" }) as JsonSchema;
  const props = schema.properties ?? {};
  const required = (schema.required ?? []).filter((k) => !TARGET_FIELDS.includes(k));
  const base = Object.fromEntries(required.map((k) => [k, sample(props[k], seed)]));
  const mutating = !tool.annotations.readOnlyHint;
  const extra = { ...(mutating && "dryRun" in props ? { dryRun: true } : {}), ...("confirm" in props ? { confirm: true } : {}) };
  const fields = Object.keys(props).filter((k) => !TARGET_FIELDS.includes(k) && addressLike(props[k]));
  return fields.map((f) => ({ ...base, [f]: typeOf(props[f]) === "array" ? [trap.address] : trap.address, ...extra }));
}

/** Tools that would start labs or drills for real even without a dry-run flag are only called dry. */
const runnable = allTools.filter((t) => t.annotations.readOnlyHint || "dryRun" in t.input.shape);

describe("a target's password never reaches an address the caller chose", () => {
  it("every mutating tool can be called as a dry run, so this file reaches it", () => {
    expect(allTools.filter((t) => !runnable.includes(t)).map((t) => t.name)).toEqual([]);
  });

  it.each(runnable.map((t) => [t.name, t] as const))("%s", async (_name, tool) => {
    const config = parseConfig(
      JSON.stringify({
        targets: {
          rwc: { nodes: [cluster.addresses[0]], passwordEnv: "RP_CONTAIN_PW", allowMutations: true },
          rwr: { nodes: [pair.addresses[0]], passwordEnv: "RP_CONTAIN_PW", allowMutations: true },
          rws: { nodes: [sentinel.addresses[0]], passwordEnv: "RP_CONTAIN_PW", allowMutations: true },
        },
      }),
      "c.json",
    );
    const takesTarget = "target" in tool.input.shape;
    const wheres: [Record<string, unknown>, string][] = takesTarget
      ? [
          [{ target: "rwc" }, cluster.addresses[0]],
          [{ target: "rwr" }, pair.addresses[0]],
          [{ target: "rws" }, sentinel.addresses[0]],
        ]
      : [[{}, cluster.addresses[0]]];
    for (const [where, seed] of wheres) {
      for (const args of callsFor(tool, seed)) {
        for (const allowAdhocMutations of [undefined, true]) {
          const before = trap.heard().length;
          const call = { ...args, ...where };
          const targets = createResolver({ config, allowAdhocMutations });
          const r = await invokeTool(tool, call, { ctx: { progress: () => {}, signal: AbortSignal.timeout(20_000), targets } });
          // Odd arguments (a socket where a sentinel or a master belongs) are the caller's mistake, never "a bug".
          expect(r.ok ? "ok" : r.error.code, `${tool.name} ${JSON.stringify(call)}: ${r.summary}`).not.toBe("internal");
          const heard = trap.heard().slice(before);
          expect(heard, `${tool.name} ${JSON.stringify(call)} (${allowAdhocMutations ? "CLI" : "MCP"}) sent the target's password to the caller's socket`).not.toContain(PW);
        }
      }
    }
  });
});
