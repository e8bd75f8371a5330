// Invariants across the whole registry as MCP clients see it, and the committed
// snapshot of tools/list (names, schemas, annotations). A tool's surface is an API:
// changing it must be deliberate, so the snapshot fails until it is rewritten with
//   npm run snapshot:update
import { readFileSync, writeFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Tool as ListedTool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverDeps } from "../src/mcp/serve.js";
import { createMcpServer } from "../src/mcp/server.js";
import { allTools } from "../tools/index.js";
import { selectTools } from "../src/registry/filters.js";
import type { Toolset } from "../src/registry/tool.js";

const SNAPSHOT = new URL("./snapshots/tools-list.json", import.meta.url);
/** Tool names are noun_verb: the toolset's noun, then one verb from this list (docs/mcp.md, "Naming"). */
const TOOLSET_NOUNS: Record<Toolset, string> = { lab: "lab", cluster: "cluster", replication: "replication", sentinel: "sentinel", drills: "drill", runbook: "runbook" };
const VERBS = ["up", "down", "list", "status", "create", "check", "info", "fix", "add_node", "remove_node", "del_node", "kill_fix", "cluster_failover", "reshard", "rebalance", "failover", "run",
  // lab faults and the docker lab's image
  "image", "kill", "stop", "start", "restart", "pause", "unpause", "partition", "heal",
  // replication and Sentinel
  "lag", "attach", "switchover", "promote", "detach", "monitor", "client_settings",
  // drills: the scenario is the verb
  "split_brain", "sentinel_failover", "kill_master", "read_scaling"];
const UPDATE = process.env.REDIS_PILOT_UPDATE_SNAPSHOTS === "1";

let client: Client;
let listed: ListedTool[];

beforeAll(async () => {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(serverDeps({ readOnly: false })).connect(serverSide);
  client = new Client({ name: "registry-test", version: "1" });
  await client.connect(clientSide);
  listed = (await client.listTools()).tools;
});

afterAll(() => client?.close());

describe("tools/list snapshot", () => {
  it("matches test/snapshots/tools-list.json", () => {
    const current = JSON.stringify(listed, null, 2) + "\n";
    if (UPDATE) writeFileSync(SNAPSHOT, current);
    let committed: string;
    try {
      committed = readFileSync(SNAPSHOT, "utf8");
    } catch {
      throw new Error("test/snapshots/tools-list.json is missing: create it with `npm run snapshot:update` and commit it.");
    }
    // On a mismatch the diff shows exactly what changed; rewrite with `npm run snapshot:update` if intended.
    expect(JSON.parse(current)).toEqual(JSON.parse(committed));
  });
});

describe("registry invariants", () => {
  it("lists every registry tool once, in registry order", () => {
    expect(listed.map((t) => t.name)).toEqual(allTools.map((t) => t.name));
  });

  describe.each(allTools.map((t) => [t.name, t] as const))("%s", (name, tool) => {
    const wire = () => listed.find((t) => t.name === name)!;

    it("is <toolset noun>_<verb>, the verb from the list", () => {
      const [noun, ...rest] = name.split("_");
      expect(noun, "the first word names the toolset").toBe(TOOLSET_NOUNS[tool.toolset]);
      expect(VERBS, `'${rest.join("_")}' is not a listed verb: add it to VERBS if it is one`).toContain(rest.join("_"));
      expect(name.length).toBeLessThanOrEqual(64);
    });

    it("says openWorldHint exactly when it accepts servers outside the labs (targets or HOST:PORT)", () => {
      const props = (wire().inputSchema.properties ?? {}) as Record<string, { type?: string }>;
      // lab_up's `nodes` is a count; the address list is an array.
      expect(tool.annotations.openWorldHint).toBe(props.target !== undefined || props.nodes?.type === "array");
    });

    it("has a title and a description written for a model", () => {
      expect(wire().title?.length).toBeGreaterThan(3);
      expect(wire().description?.length).toBeGreaterThanOrEqual(80);
      expect(wire().annotations?.title).toBe(tool.title);
    });

    it("sets all four hints explicitly, consistently", () => {
      const a = wire().annotations ?? {};
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof a[hint], hint).toBe("boolean");
        expect(a[hint], hint).toBe(tool.annotations[hint]);
      }
      if (a.readOnlyHint) expect(a.destructiveHint, "a read-only tool cannot be destructive").toBe(false);
    });

    it("has an object output schema", () => {
      expect(wire().outputSchema?.type).toBe("object");
    });

    it("takes dryRun when it mutates, and confirm when it is destructive", () => {
      const props = wire().inputSchema.properties ?? {};
      if (!tool.annotations.readOnlyHint) expect(props.dryRun, "dryRun").toMatchObject({ type: "boolean" });
      if (tool.annotations.destructiveHint) expect(props.confirm, "confirm").toMatchObject({ type: "boolean" });
    });
  });

  it("read-only mode keeps exactly the read-only tools", () => {
    const kept = selectTools(allTools, { readOnly: true }).map((t) => t.name);
    expect(kept).toEqual(allTools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name));
    expect(kept.length).toBeGreaterThan(0);
  });
});
