// How invokeTool results and progress events become MCP messages: the spec wants
// progress to grow with every notification, and clients validate structuredContent
// against outputSchema, so an error result may carry it only when it fits.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { progressParams } from "../src/mcp/progress.js";
import { ERROR_META_KEY, toCallToolResult } from "../src/mcp/tool-result.js";
import type { InvokeResult } from "../src/registry/invoke.js";
import { defineTool, type AnyTool } from "../src/registry/tool.js";

describe("progressParams", () => {
  it.each([
    ["uses the op's own count when it moves forward", { step: "meet", message: "m", progress: 3, total: 10 }, 2, { progress: 3, total: 10 }],
    ["counts on when the event has no count", { step: "wait", message: "m" }, 4, { progress: 5 }],
    ["never goes backwards", { step: "verify", message: "m", progress: 2, total: 10 }, 5, { progress: 6, total: 10 }],
    ["drops a total the count already passed", { step: "x", message: "m", progress: 1, total: 3 }, 7, { progress: 8 }],
  ])("%s", (_, event, last, expected) => {
    expect(progressParams(event, last)).toEqual({ ...expected, message: `${event.step}: m` });
  });
});

const tool = defineTool({
  name: "thing_remove",
  title: "Remove a thing",
  description: "test",
  toolset: "lab",
  input: z.object({ confirm: z.boolean().optional(), dryRun: z.boolean().optional() }),
  output: z.object({ removed: z.array(z.string()), dryRun: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  summarize: (o) => `${o.dryRun ? "Would remove" : "Removed"} ${o.removed.join(", ")}.`,
  handler: async () => ({ removed: [], dryRun: true }),
}) as unknown as AnyTool;

const refused: InvokeResult = {
  ok: false,
  error: { code: "confirmation_required", message: "thing_remove is destructive and was not confirmed.", next: "Review the plan, then call thing_remove again with confirm: true." },
  summary: "thing_remove is destructive and was not confirmed. Review the plan, then call thing_remove again with confirm: true.",
  durationMs: 1,
  plan: { removed: ["a", "b"], dryRun: true },
};

describe("toCallToolResult", () => {
  it("success: structured output and the summary", () => {
    const r = toCallToolResult(tool, { ok: true, output: { removed: ["a"], dryRun: false }, summary: "Removed a.", durationMs: 1 });
    expect(r).toEqual({ content: [{ type: "text", text: "Removed a." }], structuredContent: { removed: ["a"], dryRun: false } });
  });

  it("not confirmed, no elicitation: the plan and how to confirm", () => {
    const r = toCallToolResult(tool, refused);
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toEqual(refused.plan);
    expect(r.content[0]).toEqual({ type: "text", text: `${refused.summary}\n\nPlan (dry run, nothing was changed):\nWould remove a, b.` });
    expect(r._meta?.[ERROR_META_KEY]).toEqual(refused.error);
  });

  it("declined by the user: no invitation to retry with confirm", () => {
    const text = (toCallToolResult(tool, refused, "declined").content[0] as { text: string }).text;
    expect(text).toMatch(/^The user declined thing_remove; nothing was changed\. Do not retry/);
    expect(text).not.toContain("confirm: true");
  });

  it("a plan that does not fit the output schema stays out of structuredContent", () => {
    const r = toCallToolResult(tool, { ...refused, plan: { steps: 3 } });
    expect(r.structuredContent).toBeUndefined();
    expect((r.content[0] as { text: string }).text).toContain('"steps": 3');
  });

  it("other failures: one sentence and the next step, nothing else", () => {
    const r = toCallToolResult(tool, { ok: false, error: { code: "lab_not_found", message: "No lab named 'x' is running.", next: "Start one." }, summary: "No lab named 'x' is running. Start one.", durationMs: 1 });
    expect(r.content).toEqual([{ type: "text", text: "No lab named 'x' is running. Start one." }]);
    expect(r.structuredContent).toBeUndefined();
  });
});
