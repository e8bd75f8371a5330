/**
 * The command line's words for tools and arguments named in messages
 * (src/registry/words.ts): `cluster_check` is `'redis-pilot cluster check'`, `lab: NAME`
 * is `--lab NAME`, `confirm: true` is `--yes`, a positional field is its value. Flag
 * names come from each tool's `cli` form, as the verbs do (tool-verbs.ts).
 */
import type { AnyTool } from "../registry/tool.js";
import type { Words } from "../registry/words.js";
import { inputFields, kebab } from "./input-fields.js";
import { SHARED_FIELDS } from "./shared-flags.js";

/** `cluster_add_node` -> { noun: "cluster", verb: "add-node" }. */
export function verbOf(toolName: string): { noun: string; verb: string } {
  const i = toolName.indexOf("_");
  return { noun: toolName.slice(0, i), verb: toolName.slice(i + 1).replace(/_/g, "-") };
}

const command = (tool: string) => {
  const { noun, verb } = verbOf(tool);
  return `redis-pilot ${noun} ${verb}`;
};

/** The words of the CLI; `tools` gives each tool's flag names and positional arguments. */
export function cliWords(tools: readonly AnyTool[] = []): Words {
  const find = (name?: string) => tools.find((t) => t.name === name);
  // As the verbs do (tool-verbs.ts): HOST:PORT nodes (targetFields) are positional by default, lab_up's node count is not.
  const addressList = (tool: AnyTool | undefined) => !tool || inputFields(tool.input).some((f) => f.name === "nodes" && f.kind === "strings");
  const positional = (tool: AnyTool | undefined, field: string) => (tool?.cli?.args ?? (field === "nodes" && addressList(tool) ? ["nodes"] : [])).includes(field as never);

  /** One argument as typed: "--lab NAME", "--yes", "HOST:PORT", "<name>". */
  function arg(field: string, value: string | undefined, toolName?: string): string {
    const tool = find(toolName);
    // Positional: the value itself; a list placeholder ("[HOST:PORT, ...]") reads "HOST:PORT arguments".
    if (positional(tool, field)) {
      if (value === undefined) return field === "nodes" ? "HOST:PORT arguments" : `<${field}>`;
      return value.replace(/^\[(.*), \.\.\.\]$/, "$1 arguments");
    }
    const shared = SHARED_FIELDS[field]?.flags.split(" ")[0];
    const envFlag = (tool?.cli?.env as Record<string, string> | undefined)?.[field];
    if (envFlag) return value === undefined ? `--${envFlag}` : `--${envFlag} VAR`;
    const flag = shared ?? `--${(tool?.cli?.flags as Record<string, string> | undefined)?.[field] ?? kebab(field)}`;
    // Booleans read as the bare flag (confirm: true is --yes, dryRun: true is --dry-run).
    return value === undefined || value === "true" ? flag : `${flag} ${value}`;
  }
  const typed = (tool: string, args: Record<string, string>) => Object.entries(args).map(([f, v]) => arg(f, v, tool));

  return {
    tool: (tool) => `'${command(tool)}'`,
    call: (tool, args) => `'${[command(tool), ...typed(tool, args)].join(" ")}'`,
    arg: (field, value, tool) => arg(field, value, tool),
    again: (tool, args) => `run the command again${Object.keys(args).length ? ` with ${typed(tool, args).join(" ")}` : ""}`,
  };
}
