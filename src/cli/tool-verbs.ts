/**
 * Every registry tool as a command-line verb, generated: `cluster_add_node` ->
 * `redis-pilot cluster add-node`. Flags come from the tool's zod input (input-fields.ts)
 * and its `cli` form (src/registry/tool.ts): positional arguments, redis-cli's flag
 * names, secrets from an environment variable, aliases, exit code and rendering. The
 * shared flags come from shared-flags.ts. A new tool file lights up here with no edit.
 */
import { Argument, Command, Option } from "commander";
import { ValidationError } from "../errors.js";
import { isMutating, type AnyTool } from "../registry/tool.js";
import { connectionFromFlags, guardPasswordFlag, type CredentialFlags } from "./credentials.js";
import { inputFields, kebab, type InputField } from "./input-fields.js";
import { addSharedFlags, sharedOption } from "./shared-flags.js";
import { runToolCli } from "./run-tool.js";
import { verbOf } from "./words.js";

export { verbOf };

/** What `redis-pilot --help` says of each noun, before the list of its verbs; other nouns show their name. */
const NOUNS: Record<string, string> = {
  lab: "Local sandbox of Redis nodes on loopback",
  cluster: "Redis Cluster",
  replication: "Redis replication: a master and its replicas",
  sentinel: "Redis Sentinel",
  drill: "Drills that break things on purpose and measure",
  runbook: "Runbooks: YAML files of tool calls",
};

const bad = (flag: string, want: string, value: string) =>
  new ValidationError(`${flag} must be ${want}, not '${value}'.`, `Give ${flag} ${want} and run the command again.`);

function numberParser(flag: string, kind: "integer" | "number"): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (kind === "integer" ? !/^\s*-?\d+\s*$/.test(v) : v.trim() === "" || !Number.isFinite(n)) throw bad(flag, kind === "integer" ? "a whole number" : "a number", v);
    return n;
  };
}

/** The value's name in help: <ms> for a duration field, <n> for other numbers. */
function placeholder(f: InputField): string {
  if (f.kind === "integer" || f.kind === "number") return /Ms$/.test(f.name) ? "ms" : "n";
  if (f.kind === "enum") return "choice";
  if (f.kind === "strings") return "values...";
  return f.name === "name" ? "name" : "value";
}

/** The commander option for one field, named `--flag` (without its dashes). */
function fieldOption(f: InputField, flag: string): Option {
  const help = (f.description ?? "").replace(/\.$/, "");
  if (f.kind === "boolean") {
    // A field that defaults to true is turned off: --no-cluster.
    return f.default === true ? new Option(`--no-${flag}`, `${help} (on by default; --no-${flag} turns it off)`) : new Option(`--${flag}`, help);
  }
  const opt = new Option(`--${flag} <${placeholder(f)}>`, help);
  if (f.kind === "integer" || f.kind === "number") opt.argParser(numberParser(`--${flag}`, f.kind));
  if (f.kind === "enum") opt.choices(f.choices ?? []);
  if (f.default !== undefined) opt.default(f.default);
  return opt;
}

function positional(f: InputField): Argument {
  const name = f.kind === "strings" ? `${f.name}...` : f.name;
  const arg = new Argument(f.optional || f.kind === "strings" ? `[${name}]` : `<${name}>`, (f.description ?? "").replace(/\.$/, ""));
  if (f.kind === "integer" || f.kind === "number") arg.argParser(numberParser(f.name, f.kind));
  return arg;
}

/** A secret's value from the environment variable its flag names. */
function fromEnv(flag: string, variable: string, field: string): string {
  const value = process.env[variable];
  if (!value) throw new ValidationError(`--${flag} names ${variable}, which is not set or empty.`, `Export ${variable}=<${field}> first, or leave out --${flag}.`);
  return value;
}

/** The verb for one tool: positional arguments, one option per field, the shared flags, and the action. */
export function toolCommand(tool: AnyTool, verb: string, tools: readonly AnyTool[] | LoadAll = [tool]): Command {
  const cli = tool.cli ?? {};
  const fields = inputFields(tool.input);
  // HOST:PORT nodes (targetFields), not lab_up's node count.
  const hasNodes = fields.some((f) => f.name === "nodes" && f.kind === "strings");
  const args = (cli.args ?? (hasNodes ? ["nodes"] : [])).map((n) => fields.find((f) => f.name === n)!);
  const hidden = new Set<string>(cli.hide ?? []);
  const cmd = new Command(verb).summary(tool.title).description(tool.description).aliases(cli.aliases ?? []);
  args.forEach((f) => cmd.addArgument(positional(f)));

  /** Option attribute (commander's key) -> input field, and env flags -> field. */
  const byAttribute = new Map<string, string>();
  const envFlags = new Map<string, { flag: string; field: string }>();
  for (const f of fields.filter((f) => !args.includes(f) && !hidden.has(f.name))) {
    const envFlag = (cli.env as Record<string, string> | undefined)?.[f.name];
    let opt: Option;
    if (envFlag) {
      opt = new Option(`--${envFlag} <var>`, `${(f.description ?? f.name).replace(/\.$/, "")} (taken from the environment variable named here, never from the command line)`);
      envFlags.set(opt.attributeName(), { flag: envFlag, field: f.name });
    } else {
      const flag = (cli.flags as Record<string, string> | undefined)?.[f.name] ?? kebab(f.name);
      opt = sharedOption(f.name) ?? fieldOption(f, flag);
      byAttribute.set(opt.attributeName(), f.name);
    }
    cmd.addOption(opt);
  }
  addSharedFlags(cmd, { mutating: isMutating(tool), nodes: hasNodes, has: (flag) => cmd.options.some((o) => o.long === flag) });

  cmd.action(async function (this: Command, ...params: unknown[]) {
    const o = this.optsWithGlobals<Record<string, unknown> & CredentialFlags & { json?: boolean; yes?: boolean; config?: string }>();
    const input: Record<string, unknown> = {};
    args.forEach((f, i) => {
      const v = params[i];
      if (v !== undefined && !(Array.isArray(v) && v.length === 0)) input[f.name] = v;
    });
    for (const [attribute, field] of byAttribute) if (o[attribute] !== undefined) input[field] = o[attribute];
    for (const [attribute, { flag, field }] of envFlags) if (o[attribute] !== undefined) input[field] = fromEnv(flag, String(o[attribute]), field);
    const placed = input.lab !== undefined || input.target !== undefined;
    if (placed && cli.withPlace && input[cli.withPlace] === undefined && Array.isArray(input.nodes) && input.nodes.length === 1) {
      input[cli.withPlace] = input.nodes[0];
      delete input.nodes;
    }
    if (input.nodes && placed) {
      const other = input.lab !== undefined ? "--lab" : "--target";
      throw new ValidationError(`Both ${other} and HOST:PORT arguments name the servers; name them one way.`, `Give ${other} NAME or HOST:PORT arguments, not both.`);
    }
    if (hasNodes) guardPasswordFlag(o);
    process.exitCode = await runToolCli(tool, input, {
      json: o.json,
      yes: o.yes,
      config: o.config,
      connection: hasNodes ? connectionFromFlags(o) : undefined,
      exitCode: cli.exitCode,
      render: cli.render,
      tools,
    });
  });
  return cmd;
}

/** The whole list, loaded when a message must name another tool's verb or flags. */
export type LoadAll = () => Promise<readonly AnyTool[]>;

/**
 * Adds every tool's verb under its noun (reusing a noun a front-end module already
 * registered). `all`: these are not the whole list (one verb's tool, for a fast start);
 * messages then name other tools once it has loaded.
 */
export function registerToolVerbs(program: Command, tools: readonly AnyTool[], all?: LoadAll): void {
  const byNoun = new Map<string, AnyTool[]>();
  for (const t of tools) byNoun.set(verbOf(t.name).noun, [...(byNoun.get(verbOf(t.name).noun) ?? []), t]);
  for (const [noun, list] of byNoun) {
    const verbs = list.map((t) => verbOf(t.name).verb);
    const group = program.commands.find((c) => c.name() === noun) ?? program.command(noun).description(`${NOUNS[noun] ?? noun}: ${verbs.join(", ")}.`);
    // A hand-written verb of the same name (`runbook run`, with its reports) stands for the tool.
    list.forEach((t, i) => group.commands.some((c) => c.name() === verbs[i]) || group.addCommand(toolCommand(t, verbs[i], all ?? tools)));
  }
}
