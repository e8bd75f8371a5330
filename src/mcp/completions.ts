/**
 * completion/complete: prompt arguments and resource-template variables that name a
 * lab, a target or a node complete as the user types (labs from the lab store, targets
 * from the config, nodes from both). A prompt argument says what it names in its
 * frontmatter (`complete: lab`); a template variable in TEMPLATE_COMPLETIONS
 * (resources.ts). The matching itself is pure and table-tested.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CompleteRequestSchema, ErrorCode, McpError, type CompleteResult } from "@modelcontextprotocol/sdk/types.js";
import { quoted, renderError } from "../errors.js";
import type { ServerDeps } from "./deps.js";
import type { CompletionKind } from "./prompt-template.js";
import { loadPrompts } from "./prompts.js";
import { TEMPLATE_COMPLETIONS } from "./resources.js";

/** The most values one answer carries (the spec's limit). */
export const MAX_COMPLETIONS = 100;

/**
 * Candidates that start with what was typed (case-insensitive), sorted. For a list
 * ("nodes": comma-separated addresses) the last item completes and the ones before stay.
 */
export function completeValue(candidates: readonly string[], typed: string, list = false): string[] {
  const rest = typed.slice(list ? typed.lastIndexOf(",") + 1 : 0);
  const tail = rest.trimStart().toLowerCase();
  const head = list ? typed.slice(0, typed.length - tail.length) : "";
  const taken = new Set(head.split(",").map((s) => s.trim()).filter(Boolean));
  return [...new Set(candidates)]
    .filter((c) => c.toLowerCase().startsWith(tail) && !taken.has(c))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .map((c) => head + c);
}

export function completionResult(values: string[]): CompleteResult {
  return { completion: { values: values.slice(0, MAX_COMPLETIONS), total: values.length, hasMore: values.length > MAX_COMPLETIONS } };
}

/** Targets from the config; none when the file is broken (completion never fails for that). */
async function targets(deps: ServerDeps) {
  try {
    return (await deps.config()).targets;
  } catch (err) {
    process.stderr.write(`redis-pilot mcp: targets left out of completions: ${renderError(err)}\n`);
    return {};
  }
}

/** What a kind of value can be; `given` are the other arguments already filled in (a lab narrows the nodes). */
async function candidates(kind: CompletionKind, deps: ServerDeps, given: Record<string, string>): Promise<string[]> {
  const [{ listLabs }, { formatAddress }] = await Promise.all([import("../lab/store.js"), import("../redis/address.js")]);
  if (kind === "target") return Object.keys(await targets(deps));
  const labs = await listLabs();
  if (kind === "lab") return labs.map((l) => l.name);
  if (kind === "cluster_lab") return labs.filter((l) => l.spec.cluster).map((l) => l.name);
  const known = await targets(deps);
  const labNodes = labs.filter((l) => !given.lab || l.name === given.lab).flatMap((l) => l.nodes.map((n) => formatAddress(n)));
  const targetNodes = Object.entries(known).filter(([name]) => !given.target || name === given.target).flatMap(([, t]) => t.nodes);
  if (given.lab && !given.target) return labNodes;
  if (given.target && !given.lab) return targetNodes;
  return [...labNodes, ...targetNodes];
}

export function registerCompletions(server: McpServer, deps: ServerDeps, promptsDir?: string): void {
  server.server.registerCapabilities({ completions: {} });
  server.server.setRequestHandler(CompleteRequestSchema, async (request) => {
    const { ref, argument, context } = request.params;
    let kind: CompletionKind | undefined;
    if (ref.type === "ref/prompt") {
      const prompt = (await loadPrompts(promptsDir)).find((p) => p.name === ref.name);
      if (!prompt) throw new McpError(ErrorCode.InvalidParams, `No prompt named ${quoted(ref.name)}. List them with prompts/list.`);
      kind = prompt.arguments.find((a) => a.name === argument.name)?.complete;
    } else if (ref.type === "ref/resource") {
      const variables = TEMPLATE_COMPLETIONS[ref.uri];
      if (!variables) throw new McpError(ErrorCode.InvalidParams, `No resource template ${quoted(ref.uri)}. List them with resources/templates/list.`);
      kind = variables[argument.name];
    }
    if (!kind) return completionResult([]);
    const found = await candidates(kind, deps, context?.arguments ?? {});
    return completionResult(completeValue(found, argument.value, kind === "nodes"));
  });
}
