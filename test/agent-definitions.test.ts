/**
 * The agent's definitions stay in step with the registry: agent.md names exactly the
 * registry's tools and strips to a system prompt, the skills carry valid frontmatter,
 * model tool definitions come from the zod schemas without `confirm`, and "not
 * supported yet" is decided by looking tools up, so adding a tool lights a family up.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { loadAgentDefinition, parseAgentDefinition } from "../src/agent/agent-md.js";
import { createBuiltinPlanner } from "../src/agent/builtin-planner.js";
import { missingTools } from "../src/agent/families/index.js";
import { modelToolDefinitions } from "../src/agent/tool-defs.js";
import { packageRoot } from "../src/package-root.js";
import { parseFrontmatter } from "../src/frontmatter.js";
import { allTools } from "../tools/index.js";
import { defineTool, type AnyTool } from "../src/registry/tool.js";

// agent.md grants the registry's tools; `npm run snapshot:update` writes its tools line
// from the registry (as it writes the tools/list snapshot), so a new tool is not a hand edit here.
if (process.env.REDIS_PILOT_UPDATE_SNAPSHOTS === "1") {
  const path = join(packageRoot(), "agent.md");
  const line = `tools: ${allTools.map((t) => `mcp__redis-pilot__${t.name}`).join(", ")}`;
  writeFileSync(path, readFileSync(path, "utf8").replace(/^tools: .*$/m, line));
}

describe("agent.md", () => {
  const agent = loadAgentDefinition();

  it("grants exactly the registry's tools, named as Claude Code names MCP tools", () => {
    expect([...agent.tools].sort()).toEqual(allTools.map((t) => t.name).sort());
    const raw = readFileSync(join(packageRoot(), "agent.md"), "utf8");
    expect(raw).toMatch(/^tools: (mcp__redis-pilot__[a-z_]+, )*mcp__redis-pilot__[a-z_]+$/m);
  });

  it("strips the frontmatter from the system prompt", () => {
    expect(agent.name).toBe("redis-pilot");
    expect(agent.prompt.startsWith("You are redis-pilot")).toBe(true);
    expect(agent.prompt).not.toContain("---\nname:");
  });

  it("refuses a file without frontmatter", () => {
    expect(() => parseAgentDefinition("just a prompt")).toThrow(/no frontmatter/);
  });

  it("names the field or the YAML that is wrong", () => {
    expect(() => parseAgentDefinition("---\nname: x\ntools: a\n---\nbody")).toThrow(/^agent\.md: frontmatter description is required \(a string\)\.$/);
    expect(() => parseAgentDefinition("---\nname: [x\n---\nbody")).toThrow(/^agent\.md: the frontmatter is not valid YAML/);
  });
});

describe("skills", () => {
  it.each(["redis-replication", "redis-sentinel", "redis-cluster"])("%s/SKILL.md has name and description", (name) => {
    const text = readFileSync(join(packageRoot(), "skills", name, "SKILL.md"), "utf8");
    const { data: fm, body } = parseFrontmatter(text, z.object({ name: z.string(), description: z.string() }), `skills/${name}/SKILL.md`, "name and description");
    expect(fm.name).toBe(name);
    expect(fm.description.length).toBeGreaterThan(40);
    expect(body).toMatch(/## Check after each step/);
  });
});

describe("model tool definitions", () => {
  const defs = modelToolDefinitions([...allTools]);

  it("one per registry tool, object schemas, no confirm argument", () => {
    expect(defs.map((d) => d.name)).toEqual(allTools.map((t) => t.name));
    for (const d of defs) {
      expect(d.input_schema.type).toBe("object");
      expect(Object.keys(d.input_schema.properties ?? {})).not.toContain("confirm");
      expect(d.input_schema.required ?? []).not.toContain("confirm");
    }
  });

  it("fields with defaults are optional for the model", () => {
    const labUp = defs.find((d) => d.name === "lab_up")!;
    expect(labUp.input_schema.required).toBeUndefined();
    expect(labUp.input_schema.properties).toHaveProperty("nodes");
  });

  it("destructive tools say the user confirms them", () => {
    expect(defs.find((d) => d.name === "lab_down")!.description).toMatch(/Destructive: the user is asked to confirm/);
  });
});

describe("families are looked up in the registry", () => {
  const fake = (name: string): AnyTool =>
    defineTool({
      name,
      title: name,
      description: "test tool",
      toolset: "sentinel",
      input: z.object({}),
      output: z.object({}),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      summarize: () => "",
      handler: async () => ({}),
    }) as unknown as AnyTool;

  it("create, check and sentinel are supported today", () => {
    expect(missingTools("create_cluster", allTools)).toEqual([]);
    expect(missingTools("check_cluster", allTools)).toEqual([]);
    expect(missingTools("sentinel", allTools)).toEqual([]);
  });

  it("a family whose tools are missing says which; with them it plans", async () => {
    const request = "Set up Sentinel with 3 sentinels and quorum 2";
    const without = allTools.filter((t) => t.name !== "sentinel_monitor" && t.name !== "sentinel_check");
    const today = await createBuiltinPlanner(request, { tools: without }).next([]);
    expect(today).toMatchObject({ kind: "refuse", reason: "not_supported", text: expect.stringMatching(/not supported yet: it needs the sentinel_monitor and sentinel_check tools/) });
    const later = await createBuiltinPlanner(request, { tools: [...without, fake("sentinel_monitor"), fake("sentinel_check")] }).next([]);
    expect(later).toMatchObject({ kind: "calls" });
  });
});
