// The prompt files are product text an operator relies on: each must parse, use only
// arguments it declares, name only tools that exist (or that it lists as planned, with
// guidance for meanwhile), and render without leftover template tags.
import { describe, expect, it } from "vitest";
import { loadPrompts } from "../src/mcp/prompts.js";
import { parsePrompt, renderPrompt, templateNames } from "../src/mcp/prompt-template.js";
import { allTools } from "../tools/index.js";

const prompts = await loadPrompts();
const toolNames = new Set(allTools.map((t) => t.name));
/** Backticked identifiers shaped like our tool names: lab_up, cluster_create, drill_failover... */
const toolMentions = (body: string) => [...body.matchAll(/`((?:lab|cluster|replication|replica|sentinel|drill|runbook)_[a-z_]+)`/g)].map((m) => m[1]);

describe("prompts/*.md", () => {
  it("has the prompts the issue names, each once", () => {
    const names = prompts.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of ["setup-sentinel", "create-cluster", "add-read-replicas", "reshard", "multi-datacenter", "failover-drill", "health-check"]) {
      expect(names).toContain(n);
    }
  });

  describe.each(prompts.map((p) => [p.name, p] as const))("%s", (_, p) => {
    it("uses exactly the arguments it declares", () => {
      expect(templateNames(p.body).sort()).toEqual(p.arguments.map((a) => a.name).sort());
    });

    it("names real tools, or planned ones it lists", () => {
      for (const t of p.tools) expect(toolNames, `${t} in tools:`).toContain(t);
      for (const t of toolMentions(p.body)) expect([...p.tools, ...p.plannedTools], `${t} in the body`).toContain(t);
    });

    it("says what its lab, target and node arguments name, so they complete", () => {
      const expected: Record<string, string[]> = { lab: ["lab", "cluster_lab"], target: ["target"], nodes: ["nodes"] };
      for (const a of p.arguments.filter((x) => expected[x.name])) expect(expected[a.name], `${a.name}`).toContain(a.complete);
      for (const a of p.arguments.filter((x) => /HOST:PORT/.test(x.description))) expect(["node", "nodes"], `${a.name}`).toContain(a.complete);
    });

    it("renders with only its required arguments, leaving no tags", () => {
      const args = Object.fromEntries(p.arguments.filter((a) => a.required).map((a) => [a.name, "X"]));
      expect(renderPrompt(p, args)).not.toMatch(/\{\{|\}\}/);
    });
  });
});

describe("renderPrompt", () => {
  const def = parsePrompt(
    [
      "---",
      "name: t",
      "title: T",
      "description: d",
      "arguments:",
      "  - { name: count, description: c, default: '3' }",
      "  - { name: lab, description: l }",
      "  - { name: target, description: t }",
      "  - { name: who, description: w, required: true }",
      "---",
      "Make {{count}} for {{who}}.{{#lab}} In lab {{lab}}.{{/lab}}{{^lab}}{{^target}} Nowhere yet.{{/target}}{{/lab}}",
    ].join("\n"),
    "t.md",
  );

  it.each<[Record<string, string>, string]>([
    [{ who: "ops" }, "Make 3 for ops. Nowhere yet.\n"],
    [{ who: "ops", count: "5", lab: "demo" }, "Make 5 for ops. In lab demo.\n"],
    [{ who: "ops", target: "prod" }, "Make 3 for ops.\n"],
    [{ who: "ops", lab: "  " }, "Make 3 for ops. Nowhere yet.\n"],
  ])("%j", (args, text) => expect(renderPrompt(def, args)).toBe(text));

  it("refuses a missing required argument, naming it", () => {
    expect(() => renderPrompt(def, {})).toThrow(/needs the argument 'who'/);
  });

  it("refuses a file without frontmatter", () => {
    expect(() => parsePrompt("just text", "x.md")).toThrow(/x.md has no frontmatter/);
  });
});
