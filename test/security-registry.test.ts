// Issue 9, registry-wide: every mutating tool in the registry, now and to come, is
// refused on a read-only target's node (named as the target, as its node, under an
// alias, in a dry run) and changes nothing: the servers see not even a connection.
// A new tool is covered by this file without an edit; one whose required arguments
// cannot be generated below must add a sample to SAMPLES.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import { startServers, type Servers } from "./helpers/servers.js";

useTempLabHome();
const PW = "pw-registry-ro-5120";
process.env.RP_REGISTRY_PW = PW;
let servers: Servers;
const watchers: Redis[] = [];

/** A runbook that changes servers: runbook_run runs it wherever `where` says. */
const RUNBOOK = join(mkdtempSync(join(tmpdir(), "registry-runbook-")), "create.yaml");
writeFileSync(RUNBOOK, "name: create\nsteps:\n  - tool: cluster_check\n  - tool: cluster_create\n    with: { replicas: 0 }\n");

/** Arguments for a tool whose required fields a generic value cannot satisfy: tool name -> extra arguments. */
const SAMPLES: Record<string, Record<string, unknown>> = { runbook_run: { file: RUNBOOK } };

beforeAll(async () => {
  servers = await startServers(3, { password: PW });
  await createCluster({ addresses: servers.addresses, replicas: 0, access: uniformAccess({ password: PW }) }, { progress: () => {} });
  for (const a of servers.addresses) watchers.push(await connect(a, { password: PW }));
});

afterAll(async () => {
  for (const w of watchers) w.disconnect();
  await servers?.stop();
});

const TARGET_FIELDS = ["lab", "target", "nodes"];
const mutating = allTools.filter((t) => !t.annotations.readOnlyHint);
// targetFields (src/registry/fields.ts) always bring `target`; lab tools take a lab name instead.
const addressed = mutating.filter((t) => "target" in t.input.shape);

type JsonSchema = { type?: string | string[]; enum?: unknown[]; minimum?: number; exclusiveMinimum?: number; maximum?: number; items?: JsonSchema; properties?: Record<string, JsonSchema>; required?: string[]; default?: unknown; anyOf?: JsonSchema[] };

/** A value the schema accepts, pointing at the read-only node wherever a string or list is wanted. */
function sample(s: JsonSchema, node: string): unknown {
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if (s.anyOf) return sample(s.anyOf[0], node);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === "string") return node;
  if (type === "integer" || type === "number") return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
  if (type === "boolean") return false;
  if (type === "array") return [sample(s.items ?? { type: "string" }, node)];
  if (type === "object") return Object.fromEntries((s.required ?? []).map((k) => [k, sample(s.properties![k], node)]));
  return node;
}

function argsFor(tool: AnyTool, where: Record<string, unknown>, node: string): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.input, { io: "input" }) as JsonSchema;
  const required = (schema.required ?? []).filter((k) => !TARGET_FIELDS.includes(k));
  const generated = Object.fromEntries(required.map((k) => [k, sample(schema.properties![k], node)]));
  return { ...generated, ...SAMPLES[tool.name], ...where, ...("confirm" in tool.input.shape ? { confirm: true } : {}) };
}

async function connectionCounts(): Promise<number[]> {
  return Promise.all(watchers.map(async (w) => Number(/total_connections_received:(\d+)/.exec(await w.info("stats"))![1])));
}

describe("every mutating tool in the registry", () => {
  it("names where it acts by lab, target or nodes (lab tools by lab name), so the resolver sees every node", () => {
    // Drills act only on labs they start and stop themselves, like lab tools.
    const other = mutating.filter((t) => !addressed.includes(t) && t.toolset !== "lab" && t.toolset !== "drills");
    expect(other.map((t) => t.name), "mutating tools that take no lab/target/nodes: resolve their servers through ctx.targets").toEqual([]);
    expect(addressed.length).toBeGreaterThan(0);
  });

  const config = parseConfig(JSON.stringify({ targets: { ro: { nodes: ["PLACEHOLDER:1"], allowMutations: false, passwordEnv: "RP_REGISTRY_PW" } } }), "c.json");

  it.each(addressed.map((t) => [t.name, t] as const))("%s is refused on a read-only target's node and changes nothing", async (_name, tool) => {
    const [seed] = servers.addresses;
    const port = seed.split(":")[1];
    config.targets.ro.nodes = [seed];
    const wheres = [{ target: "ro" }, { nodes: [seed] }, { nodes: [`localhost:${port}`] }, { nodes: [`127.1:${port}`] }];
    const before = await connectionCounts();
    for (const where of wheres) {
      for (const dryRun of "dryRun" in tool.input.shape ? [false, true] : [false]) {
        // The CLI operator's mode, the most permissive: bare addresses are consent, a target's node still is not.
        for (const allowAdhocMutations of [true, undefined]) {
          const args = { ...argsFor(tool, where, seed), ...(dryRun ? { dryRun } : {}) };
          const r = await invokeTool(tool, args, { ctx: { progress: () => {}, signal: new AbortController().signal, targets: createResolver({ config, allowAdhocMutations }) } });
          expect(r.ok ? "ok" : r.error.code, `${tool.name} ${JSON.stringify(args)}: ${r.summary}`).toBe("mutation_not_allowed");
        }
      }
    }
    expect(await connectionCounts()).toEqual(before);
  });
});
