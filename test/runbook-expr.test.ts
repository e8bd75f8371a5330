// The runbook expression language, as tables: what parses (and what each syntax error
// says), how values compare (GitHub Actions' rules where they differ from JavaScript),
// templates (a whole expression keeps its type), paths with [index] and .*, durations
// and --var parsing.
import { describe, expect, it } from "vitest";
import { ExprSyntaxError, formatPath, parseCondition, parseExpr, parsePath, parseTemplate } from "../src/runbook/expr.js";
import { evaluate, evaluateTemplate, looseEqual, truthy, type EvalContext } from "../src/runbook/expr-eval.js";
import { durationMs } from "../src/runbook/schema.js";
import { parseVarArgs, resolveVars } from "../src/runbook/vars.js";
import { speak } from "../src/registry/words.js";
import { cliWords } from "../src/cli/words.js";
import { allTools } from "../tools/index.js";

const ctx: EvalContext = {
  vars: { masters: 3, lab: "demo", on: true },
  env: { SEED: "127.0.0.1:7000" },
  target: { lab: "demo" },
  steps: {
    create: {
      outcome: "success",
      conclusion: "success",
      outputs: { ok: true, nodes: [{ address: "127.0.0.1:7000", role: "master" }, { address: "127.0.0.1:7001", role: "replica" }], counts: { masters: 3 } },
    },
    bad: { outcome: "failure", conclusion: "success" },
  },
  status: { failed: false, cancelled: false },
};

const ev = (text: string, c: EvalContext = ctx) => evaluate(parseExpr(text), c);

describe("evaluation", () => {
  it.each<[string, unknown]>([
    ["vars.masters", 3],
    ["vars.masters == 3", true],
    ["vars.masters == '3'", true],
    ["vars.lab == 'Demo'", false],
    ["steps.create.outputs.nodes[1].role", "replica"],
    ["steps.create.outputs.nodes.*.address", ["127.0.0.1:7000", "127.0.0.1:7001"]],
    ["steps.create.output.counts.masters", 3],
    ["steps.create.outputs['counts'].masters", 3],
    ["steps.create.outputs.nodes[5].role", null],
    ["steps.create.outputs.nope.deeper", null],
    ["steps.bad.outcome == 'failure' && steps.bad.conclusion == 'success'", true],
    ["vars.lab || 'fallback'", "demo"],
    ["steps.create.outputs.nope || 'fallback'", "fallback"],
    ["!vars.on", false],
    ["!(vars.masters > 2 && vars.masters <= 3)", false],
    ["contains(steps.create.outputs.nodes.*.role, 'replica')", true],
    ["contains('127.0.0.1:7000', ':70')", true],
    ["startsWith(env.SEED, '127.')", true],
    ["endsWith(target.lab, 'mo')", true],
    ["length(steps.create.outputs.nodes)", 2],
    ["join(steps.create.outputs.nodes.*.role, '+')", "master+replica"],
    ["toJSON(vars.masters)", "3"],
    ["success() && !failure() && always() && !cancelled()", true],
    ["null == steps.create.outputs.nope", true],
    ["1 < 'x'", false],
    ["'b' > 'a'", true],
  ])("%s", (text, want) => expect(ev(text)).toEqual(want));

  it("status functions read the run's state", () => {
    const failed = { ...ctx, status: { failed: true, cancelled: false } };
    expect(ev("success()", failed)).toBe(false);
    expect(ev("failure()", failed)).toBe(true);
  });

  it.each<[unknown, boolean]>([
    [0, false],
    ["", false],
    [null, false],
    [false, false],
    [Number.NaN, false],
    ["0", true],
    [[], true],
    [{}, true],
  ])("truthy(%j) is %s", (v, want) => expect(truthy(v)).toBe(want));

  it.each<[unknown, unknown, boolean]>([
    [[1, { a: 2 }], [1, { a: 2 }], true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [true, 1, true],
    [null, 0, false],
    ["1e3", 1000, true],
  ])("looseEqual(%j, %j) is %s", (a, b, want) => expect(looseEqual(a, b)).toBe(want));
});

describe("syntax", () => {
  it.each<[string, RegExp]>([
    ["", /the expression is empty/],
    ["vars.", /expected a field name after '\.' but found the end/],
    ["vars.x ==", /expected a value but found the end/],
    ["'open", /a string is not closed/],
    ["(vars.x", /expected '\)' but found the end/],
    ["nodes[x]", /expected an index \(0, 1, \.\.\.\) or a quoted key/],
    ["vars.x vars.y", /unexpected 'vars' after the expression/],
    ["vars.x + 1", /unexpected character '\+'/],
    ["vars.x = 1", /unexpected character '='/],
  ])("%j: %s", (text, message) => expect(() => parseExpr(text)).toThrow(message));

  it("an unclosed ${{ is an error", () => expect(() => parseTemplate("a ${{ vars.x ")).toThrow(ExprSyntaxError));
});

describe("templates", () => {
  it.each<[string, unknown]>([
    ["${{ vars.masters }}", 3],
    ["  ${{ vars.on }} ", true],
    ["${{ steps.create.outputs.nodes }}", ctx.steps.create.outputs!.nodes],
    ["masters: ${{ vars.masters }}", "masters: 3"],
    ["${{ vars.lab }}-${{ vars.masters }}", "demo-3"],
    ["${{ 'a }} b' }}", "a }} b"],
    ["${{ steps.create.outputs.nope }}!", "!"],
    ["${{ steps.create.outputs.counts }}", { masters: 3 }],
    ["counts: ${{ steps.create.outputs.counts }}", 'counts: {"masters":3}'],
  ])("%j", (text, want) => expect(evaluateTemplate(parseTemplate(text), ctx)).toEqual(want));

  it("if: may be written with or without ${{ }}", () => {
    expect(evaluate(parseCondition("vars.masters == 3"), ctx)).toBe(true);
    expect(evaluate(parseCondition("${{ vars.masters == 3 }}"), ctx)).toBe(true);
    expect(() => parseCondition("x ${{ vars.on }}")).toThrow(/one expression/);
  });
});

describe("paths, durations, --var", () => {
  it.each<[string, string]>([
    ["counts.masters", "counts.masters"],
    ["nodes[0].address", "nodes[0].address"],
    ["nodes.*.role", "nodes.*.role"],
    ["[0]", "[0]"],
    ["", ""],
  ])("path %j", (text, shown) => expect(formatPath(parsePath(text))).toBe(shown));

  it.each<[number | string, number]>([
    [250, 250],
    ["500ms", 500],
    ["1.5s", 1500],
    ["2m", 120_000],
    ["1h", 3_600_000],
  ])("duration %j is %i ms", (d, want) => expect(durationMs(d)).toBe(want));

  it("--var values take the declared type", () => {
    const { vars, problems } = parseVarArgs(["masters=4", "lab=a=b", "bad"]);
    expect(vars).toEqual({ masters: "4", lab: "a=b" });
    expect(problems.map((p) => p.message)).toEqual(["--var bad is not NAME=VALUE"]);
    const r = resolveVars({ masters: 3, lab: "x", on: { type: "boolean", default: false }, need: { type: "number" } }, { masters: "4", on: "true", lab: "a=b" });
    expect(r.vars).toEqual({ masters: 4, lab: "a=b", on: true });
    // Each front end's words: the command line's --var, runbook_run's vars.
    const cli = cliWords(allTools);
    expect(r.problems.map((p) => speak(p.message, cli))).toEqual(["vars.need has no default; pass --var need=VALUE"]);
    expect(r.problems.map((p) => speak(p.message))).toEqual(["vars.need has no default; pass vars: need=VALUE"]);
    expect(speak(resolveVars({ on: false }, { on: "yes" }).problems[0].message, cli)).toBe("--var on=yes: vars.on is a boolean");
  });
});
