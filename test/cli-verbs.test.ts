/**
 * The CLI verbs generated from the registry (src/cli/tool-verbs.ts): every tool of the one
 * list has its verb, every input field is reachable from the command line, and a tool
 * defined here (in no list, no CLI file) lights up with its flags, defaults and exit code.
 */
import type { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { allTools } from "../tools/index.js";
import { inputFields, readField } from "../src/cli/input-fields.js";
import { newProgram, runProgram } from "../src/cli/main.js";
import { registerToolVerbs, verbOf } from "../src/cli/tool-verbs.js";
import { confirmField, dryRunField, targetFields } from "../src/registry/fields.js";
import { defineTool, type AnyTool } from "../src/registry/tool.js";

function programWith(tools: readonly AnyTool[]): Command {
  const program = newProgram();
  registerToolVerbs(program, tools);
  return program;
}

const find = (parent: Command, name: string) => parent.commands.find((c) => c.name() === name);

describe("verb names", () => {
  it.each([
    ["cluster_add_node", "cluster", "add-node"],
    ["cluster_create", "cluster", "create"],
    ["lab_list", "lab", "list"],
    ["sentinel_failover", "sentinel", "failover"],
  ])("%s -> %s %s", (tool, noun, verb) => expect(verbOf(tool)).toEqual({ noun, verb }));
});

describe("zod input -> command-line fields", () => {
  it.each<[string, z.ZodType, object]>([
    ["an int with a default", z.number().int().min(0).default(1).describe("Replicas."), { kind: "integer", default: 1, optional: true, description: "Replicas." }],
    ["an optional number", z.number().optional(), { kind: "number", optional: true }],
    ["a required string", z.string().describe("Name."), { kind: "string", optional: false, description: "Name." }],
    ["a boolean that defaults to true", z.boolean().default(true), { kind: "boolean", default: true, optional: true }],
    ["an enum", z.enum(["a", "b"]).optional(), { kind: "enum", choices: ["a", "b"], optional: true }],
    ["a list of strings", z.array(z.string()).optional().describe("Nodes."), { kind: "strings", optional: true, description: "Nodes." }],
    ["an object", z.object({ a: z.string() }), { kind: "other", optional: false }],
  ])("%s", (_, schema, want) => expect(readField("f", schema)).toEqual({ name: "f", ...want }));
});

describe("every tool of the registry has its verb", () => {
  const program = programWith(allTools);
  it.each(allTools.map((t) => [t.name, t] as const))("%s", (_, tool) => {
    const { noun, verb } = verbOf(tool.name);
    const cmd = find(find(program, noun)!, verb);
    expect(cmd, `redis-pilot ${noun} ${verb}`).toBeDefined();
    const cli = tool.cli ?? {};
    const names = inputFields(tool.input).map((f) => f.name);
    // What cli declares names real fields (a typo would silently drop a flag).
    for (const field of [...(cli.args ?? []), ...Object.keys(cli.flags ?? {}), ...Object.keys(cli.env ?? {}), ...(cli.hide ?? [])]) expect(names).toContain(field);
    // Every field but the hidden ones is a positional argument or an option.
    const positional = cmd!.registeredArguments.map((a) => a.name());
    const attributes = cmd!.options.map((o) => o.attributeName());
    for (const f of names.filter((n) => !(cli.hide ?? []).includes(n as never))) {
      const flag = (cli.env as Record<string, string> | undefined)?.[f] ?? (cli.flags as Record<string, string> | undefined)?.[f];
      const reachable = positional.includes(f) || attributes.includes(f) || (f === "confirm" && attributes.includes("yes")) || (flag !== undefined && cmd!.options.some((o) => o.long === `--${flag}`));
      expect(reachable, `${tool.name}.${f}`).toBe(true);
    }
    expect(cmd!.options.some((o) => o.long === "--json")).toBe(true);
    if (!tool.annotations.readOnlyHint) expect(cmd!.options.map((o) => o.long)).toEqual(expect.arrayContaining(["--dry-run", "--yes"]));
  });
});

/** A tool in no list: what a new tool file gets from the generator. */
const thingDo = defineTool({
  name: "thing_do_stuff",
  title: "Do stuff",
  description: "Echoes its input.",
  toolset: "cluster",
  input: z.object({
    ...targetFields,
    count: z.number().int().min(1).max(9).default(3).describe("How many."),
    ratio: z.number().optional(),
    mode: z.enum(["fast", "safe"]).optional(),
    keep: z.boolean().default(true),
    timeoutMs: z.number().int().optional(),
    secret: z.string().optional(),
    ...dryRunField,
    ...confirmField,
  }),
  output: z.object({ input: z.record(z.string(), z.unknown()) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: (o) => JSON.stringify(o.input),
  cli: { flags: { timeoutMs: "timeout" }, env: { secret: "secret-env" }, exitCode: (o) => (o.input.count === 7 ? 3 : 0) },
  async handler(input, ctx) {
    if (input.lab || input.target || input.nodes) await ctx.targets.resolve(input, { mutate: false });
    return { input };
  },
});

describe("a tool defined in no CLI file", () => {
  const out = { stdout: "", stderr: "" };
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
    out.stdout = out.stderr = "";
  });
  async function run(...args: string[]): Promise<{ input?: Record<string, unknown>; code: number; stderr: string }> {
    out.stdout = out.stderr = "";
    process.exitCode = undefined;
    vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out.stdout += String(s)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((s) => ((out.stderr += String(s)), true));
    await runProgram(programWith([thingDo]), ["node", "redis-pilot", "thing", "do-stuff", ...args]);
    const code = Number(process.exitCode ?? 0);
    vi.restoreAllMocks();
    return { input: out.stdout ? (JSON.parse(out.stdout) as { input: Record<string, unknown> }).input : undefined, code, stderr: out.stderr };
  }

  it("takes flags named from its input, with zod's defaults", async () => {
    process.env.THING_SECRET = "s3cret";
    const r = await run("127.0.0.1:7000", "127.0.0.1:7001", "--ratio", "0.5", "--mode", "safe", "--no-keep", "--timeout", "900", "--secret-env", "THING_SECRET", "--dry-run", "--json");
    expect(r.stderr).toBe("");
    expect(r.input).toEqual({ nodes: ["127.0.0.1:7000", "127.0.0.1:7001"], count: 3, ratio: 0.5, mode: "safe", keep: false, timeoutMs: 900, secret: "s3cret", dryRun: true });
    expect((await run("--count", "4", "--yes", "--json")).input).toEqual({ count: 4, keep: true, confirm: true });
  });

  it("maps the output to the exit code its cli form declares", async () => {
    expect((await run("--count", "7", "--json")).code).toBe(3);
  });

  it("refuses a non-number in one sentence, naming the flag", async () => {
    const r = await run("--count", "three");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: --count must be a whole number, not 'three'. Give --count a whole number and run the command again.\n");
    expect((await run("--ratio", "half")).stderr).toMatch(/^error: --ratio must be a number, not 'half'\./);
  });

  it("refuses --lab together with HOST:PORT: two ways of naming the nodes", async () => {
    const r = await run("--lab", "x", "127.0.0.1:7000");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: Both --lab and HOST:PORT arguments name the servers; name them one way. Give --lab NAME or HOST:PORT arguments, not both.\n");
  });

  it.each([
    [["cluster", "create", "127.0.0.1:7000", "--replicas", "two"], "error: --replicas must be a whole number, not 'two'. Give --replicas a whole number and run the command again.\n"],
    [["cluster", "create", "--lab", "x", "--masters", "3.5"], "error: --masters must be a whole number, not '3.5'. Give --masters a whole number and run the command again.\n"],
    [["cluster", "create", "--lab", "x", "--timeout", "10s"], "error: --timeout must be a whole number, not '10s'. Give --timeout a whole number and run the command again.\n"],
    [["cluster", "check", "--lab", "x", "127.0.0.1:7000"], "error: Both --lab and HOST:PORT arguments name the servers; name them one way. Give --lab NAME or HOST:PORT arguments, not both.\n"],
  ])("redis-pilot %j is refused in one sentence", async (args, said) => {
    vi.spyOn(process.stderr, "write").mockImplementation((s) => ((out.stderr += String(s)), true));
    await runProgram(programWith(allTools), ["node", "redis-pilot", ...args]);
    vi.restoreAllMocks();
    expect(out.stderr).toBe(said);
    expect(process.exitCode).toBe(1);
  });

  it("says the resolver's refusal in the CLI's words", async () => {
    vi.spyOn(process.stderr, "write").mockImplementation((s) => ((out.stderr += String(s)), true));
    await runProgram(programWith(allTools), ["node", "redis-pilot", "cluster", "check"]);
    vi.restoreAllMocks();
    expect(out.stderr).toBe("error: Name exactly one of --lab, --target or HOST:PORT arguments. Pass --lab NAME, --target NAME, or HOST:PORT arguments.\n");
    expect(process.exitCode).toBe(1);
  });

  it("refuses an unset --secret-env variable", async () => {
    delete process.env.THING_NOT_SET;
    const r = await run("--secret-env", "THING_NOT_SET");
    expect(r.stderr).toMatch(/^error: --secret-env names THING_NOT_SET, which is not set or empty\./);
  });
});
