/**
 * Each front end names the next step in its own words: MCP, the agent and runbooks say
 * `cluster_check` and `lab: NAME`; the command line says `'redis-pilot cluster check'` and
 * `--lab NAME`. So a message written anywhere in src/ or tools/ (an error's next step, a
 * finding) does not spell a tool or an argument: it embeds a reference made here, and the
 * front end renders every reference with speak() before anyone reads it (invokeTool does
 * it for results, renderError for thrown errors). Pure.
 */

/** A reference inside a message: a tool, a call of a tool with arguments, an argument, or "do it again". */
type Ref =
  | { ref: "tool"; tool: string }
  | { ref: "call"; tool: string; args: Record<string, string> }
  | { ref: "arg"; field: string; value?: string; tool?: string }
  | { ref: "again"; tool: string; args: Record<string, string> };

const OPEN = "\u27e6"; // ⟦
const CLOSE = "\u27e7"; // ⟧
const mark = (r: Ref): string => `${OPEN}${JSON.stringify(r)}${CLOSE}`;

/** The tool, e.g. "Run ${toolRef("cluster_check")}." */
export const toolRef = (tool: string): string => mark({ ref: "tool", tool });
/** A call with arguments, e.g. callRef("lab_down", { name: "demo" }). */
export const callRef = (tool: string, args: Record<string, string> = {}): string => mark({ ref: "call", tool, args });
/** An argument, with a value or a placeholder for it: argRef("lab", "NAME"). `tool` says whose argument (its CLI flag may differ). */
export const argRef = (field: string, value?: string, tool?: string): string => mark({ ref: "arg", field, ...(value !== undefined ? { value } : {}), ...(tool ? { tool } : {}) });
/** "Call it again" (with these arguments): againRef("lab_down", { confirm: "true" }). */
export const againRef = (tool: string, args: Record<string, string> = {}): string => mark({ ref: "again", tool, args });

/** How a front end says each kind of reference. */
export interface Words {
  tool(tool: string): string;
  call(tool: string, args: Record<string, string>): string;
  arg(field: string, value: string | undefined, tool: string | undefined): string;
  again(tool: string, args: Record<string, string>): string;
}

/** Keeps every reference as it is, to be spoken later (the CLI names other tools' flags once it has loaded them). */
export const laterWords: Words = { tool: toolRef, call: callRef, arg: argRef, again: againRef };

const mcpArgs = (args: Record<string, string>) => Object.entries(args).map(([k, v]) => `${k}: ${v}`).join(", ");

/** MCP, the agent and runbooks: tool names and argument names as the tools define them. */
export const mcpWords: Words = {
  tool: (tool) => tool,
  call: (tool, args) => (Object.keys(args).length ? `${tool} with ${mcpArgs(args)}` : tool),
  arg: (field, value) => (value === undefined ? field : `${field}: ${value}`),
  again: (tool, args) => `call ${tool} again${Object.keys(args).length ? ` with ${mcpArgs(args)}` : ""}`,
};

const REFERENCE = new RegExp(`${OPEN}([^${CLOSE}]*)${CLOSE}`, "g");

/** The text with every reference in `words`; text without references comes back as it was. */
export function speak(text: string, words: Words = mcpWords): string {
  if (!text.includes(OPEN)) return text;
  return text.replace(REFERENCE, (whole, json: string) => {
    let r: Ref;
    try {
      r = JSON.parse(json) as Ref;
    } catch {
      return whole;
    }
    switch (r.ref) {
      case "tool":
        return words.tool(r.tool);
      case "call":
        return words.call(r.tool, r.args);
      case "arg":
        return words.arg(r.field, r.value, r.tool);
      case "again":
        return words.again(r.tool, r.args);
      default:
        return whole;
    }
  });
}

/** Whether any string inside a value holds a reference (so speaking it needs the words). */
export const hasReferences = (value: unknown): boolean => JSON.stringify(value ?? null).includes(OPEN);

/** speak() over every string inside a value (outputs, findings, error details). */
export function speakAll<T>(value: T, words: Words = mcpWords): T {
  if (typeof value === "string") return speak(value, words) as T;
  if (Array.isArray(value)) return value.map((v) => speakAll(v, words)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, speakAll(v, words)])) as T;
  }
  return value;
}
