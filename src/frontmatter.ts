/**
 * Markdown files that open with a YAML frontmatter block: agent.md, prompts/*.md and
 * skills/<name>/SKILL.md. One reader (the yaml package), a zod schema for the fields,
 * and errors that name the file and the field.
 */
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { ValidationError, errorMessage } from "./errors.js";
import { describeIssues } from "./registry/input-issue.js";

const BLOCK = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/**
 * The frontmatter's fields, checked against schema, and the body after it (trimmed).
 * `holds` names the fields for the error a file without frontmatter gets ("name, title, description").
 */
export function parseFrontmatter<S extends z.ZodType>(text: string, schema: S, source: string, holds: string): { data: z.output<S>; body: string } {
  const m = BLOCK.exec(text);
  if (!m) throw new ValidationError(`${source} has no frontmatter.`, `Start the file with a --- block holding ${holds}.`);
  let raw: unknown;
  try {
    raw = parseYaml(m[1]) ?? {};
  } catch (err) {
    throw new ValidationError(`${source}: the frontmatter is not valid YAML: ${errorMessage(err).split("\n")[0]}`, `Fix the frontmatter of ${source}.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError(`${source}: frontmatter ${describeIssues(parsed.error.issues, raw).sentence}.`, `Fix the frontmatter of ${source}.`);
  }
  return { data: parsed.data, body: m[2].trim() };
}
