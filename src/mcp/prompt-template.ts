/**
 * Prompt files: markdown with a YAML frontmatter (name, title, description, arguments,
 * the tools the prompt drives) and a body template. The template knows three forms,
 * mustache-style: {{arg}} is the value (or its default), {{#arg}}...{{/arg}}
 * is kept only when the argument was given, {{^arg}}...{{/arg}} only when it was not
 * (sections nest when their names differ).
 */
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { parseFrontmatter } from "../frontmatter.js";

/** What an argument's value names, so completion/complete can offer values: a lab (cluster_lab: one in cluster mode), a config target, a node address, or a comma-separated list of them. */
export const COMPLETION_KINDS = ["lab", "cluster_lab", "target", "node", "nodes"] as const;
export type CompletionKind = (typeof COMPLETION_KINDS)[number];

const ArgumentSchema = z.object({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/),
  description: z.string().min(1),
  required: z.boolean().default(false),
  default: z.string().optional(),
  complete: z.enum(COMPLETION_KINDS).optional(),
});

const FrontmatterSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1),
  description: z.string().min(1),
  arguments: z.array(ArgumentSchema).default([]),
  /** Registry tools the prompt drives. */
  tools: z.array(z.string()).default([]),
  /** Tools the procedure will use once they exist; the body says what to do meanwhile. */
  plannedTools: z.array(z.string()).default([]),
});

export type PromptArgument = z.infer<typeof ArgumentSchema>;
export type PromptDef = z.infer<typeof FrontmatterSchema> & { body: string };

export function parsePrompt(text: string, source: string): PromptDef {
  const { data, body } = parseFrontmatter(text, FrontmatterSchema, source, "name, title, description and arguments");
  return { ...data, body: body + "\n" };
}

/** Names a template refers to in any of its three forms. */
export function templateNames(body: string): string[] {
  return [...new Set([...body.matchAll(/\{\{[#^/]?\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g)].map((x) => x[1]))];
}

/** Fills the template; throws when a required argument is missing. */
export function renderPrompt(def: PromptDef, args: Record<string, string | undefined>): string {
  const given = (name: string) => args[name] !== undefined && args[name]!.trim() !== "";
  for (const a of def.arguments) {
    if (a.required && !given(a.name)) {
      throw new ValidationError(`Prompt ${def.name} needs the argument '${a.name}' (${a.description}).`, `Pass ${a.name} and get the prompt again.`);
    }
  }
  const defaults = Object.fromEntries(def.arguments.map((a) => [a.name, a.default]));
  const section = /\{\{([#^])\s*(\w+)\s*\}\}([\s\S]*?)\{\{\/\s*\2\s*\}\}/g;
  // Sections may nest (with different names): resolve outer ones until none is left.
  let text = def.body;
  for (let prev = ""; prev !== text; ) {
    prev = text;
    text = text.replace(section, (_, kind: string, name: string, inner: string) => ((kind === "#") === given(name) ? inner : ""));
  }
  return text
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => (given(name) ? args[name]!.trim() : (defaults[name] ?? "")))
    .replace(/\n{3,}/g, "\n\n");
}
