// The executor's control flow, with small in-test tools (no servers involved, so every
// path is deterministic): retries, timeouts, if:, failure()/always(), continue-on-error,
// cleanup after a failure and after a cancel, save and step references, dry runs, and
// the reports made from the result (the JUnit XML parsed back).
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { CancelledError, PilotError } from "../src/errors.js";
import { defineTool, type AnyTool } from "../src/registry/tool.js";
import { dryRunField, findingSchema } from "../src/registry/fields.js";
import { executeRunbook, renderReport, validateRunbook, type RunReport } from "../src/runbook/index.js";
import { createResolver } from "../src/targets/resolver.js";

const calls: string[] = [];
let flakyLeft = 0;

const echo = defineTool({
  name: "test_echo",
  title: "Echo",
  description: "Returns its value; records the call.",
  toolset: "lab",
  input: z.object({ value: z.unknown().optional(), tag: z.string().optional(), fail: z.boolean().optional(), ...dryRunField }),
  output: z.object({ value: z.unknown(), tag: z.string(), ok: z.boolean(), findings: z.array(findingSchema), list: z.array(z.object({ n: z.number() })) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: (o) => `echo ${o.tag}`,
  // Like cluster_check at the command line: a "bad" tag exits 1.
  cli: { exitCode: (o) => (o.tag === "bad" ? 1 : 0) },
  async handler(input) {
    calls.push(`${input.tag ?? "echo"}${input.dryRun ? " (dry)" : ""}`);
    if (input.fail) throw new PilotError("boom", `${input.tag} failed.`, "Do not ask it to fail.");
    return { value: input.value ?? null, tag: input.tag ?? "echo", ok: true, findings: [], list: [{ n: 1 }, { n: 2 }, { n: 3 }] };
  },
});

const flaky = defineTool({
  name: "test_flaky",
  title: "Flaky",
  description: "Fails until it has been called enough times.",
  toolset: "lab",
  input: z.object({}),
  output: z.object({ ready: z.boolean() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: (o) => `ready ${o.ready}`,
  async handler() {
    calls.push("flaky");
    return { ready: --flakyLeft <= 0 };
  },
});

const slow = defineTool({
  name: "test_slow",
  title: "Slow",
  description: "Waits until cancelled.",
  toolset: "lab",
  input: z.object({}),
  output: z.object({ done: z.boolean() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: () => "done",
  handler: (_i, ctx) =>
    new Promise((_resolve, reject) => {
      calls.push("slow");
      const stop = () => reject(new CancelledError("test_slow was cancelled."));
      if (ctx.signal.aborted) stop();
      else ctx.signal.addEventListener("abort", stop, { once: true });
    }),
});

const tools = [echo, flaky, slow] as unknown as AnyTool[];

async function run(yaml: string, opts: { dryRun?: boolean; signal?: AbortSignal; vars?: Record<string, string> } = {}): Promise<RunReport> {
  const v = validateRunbook(yaml, { tools, vars: opts.vars, env: {} });
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.line}: ${p.step}: ${p.message}`).join("\n"));
  calls.length = 0;
  return executeRunbook(v.runbook, { tools, targets: createResolver({}), dryRun: opts.dryRun, signal: opts.signal, env: {} });
}

const statuses = (r: RunReport) => Object.fromEntries(r.steps.map((s) => [s.key, s.status]));

describe("runbook executor", () => {
  it("passes outputs on: save, steps.<id>.outputs, wildcards, vars in text", async () => {
    const r = await run(`name: refs
vars: { who: world }
steps:
  - id: a
    tool: test_echo
    with: { tag: a, value: { nodes: [{ address: "127.0.0.1:7000" }, { address: "127.0.0.1:7001" }] } }
    save: { ns: list.*.n }
  - id: b
    tool: test_echo
    with:
      tag: "hello \${{ vars.who }} from \${{ steps.a.outputs.tag }}"
      value: \${{ steps.a.outputs.ns }}
    expect:
      - { path: value, equals: [1, 2, 3] }
      - { path: tag, matches: "^hello world" }
      - { path: list, count: { gte: 3, lt: 4 } }
      - that: \${{ output.value[2] == 3 && steps.a.outcome == 'success' }}
`);
    expect(r.ok).toBe(true);
    expect(r.steps[1].args).toMatchObject({ tag: "hello world from a", value: [1, 2, 3] });
    expect(r.steps[1].expectations.every((e) => e.ok)).toBe(true);
  });

  it("stops at the first failed expectation; failure() and always() steps and cleanup still run", async () => {
    const r = await run(`name: stop
steps:
  - { id: one, tool: test_echo, with: { tag: one }, expect: [{ path: tag, equals: two }] }
  - { id: two, tool: test_echo, with: { tag: two } }
  - { id: onfail, tool: test_echo, with: { tag: onfail }, if: failure() }
  - { id: always, tool: test_echo, with: { tag: always }, if: "\${{ always() }}" }
cleanup:
  - { id: tidy, tool: test_echo, with: { tag: tidy } }
  - { id: notif, tool: test_echo, with: { tag: notif }, if: steps.one.outcome == 'success' }
`);
    expect(r.ok).toBe(false);
    expect(statuses(r)).toEqual({ one: "failed", two: "skipped", onfail: "passed", always: "passed", tidy: "passed", notif: "skipped" });
    expect(calls).toEqual(["one", "onfail", "always", "tidy"]);
    expect(r.failure).toMatch(/step 'one' \(test_echo\) failed: expected tag == two, found "one"/);
  });

  it("continue-on-error: a tool error is passed over, a failed expectation still fails the run", async () => {
    const errorOnly = await run(`name: coe
steps:
  - { id: bad, tool: test_echo, with: { tag: bad, fail: true }, continue-on-error: true }
  - { id: next, tool: test_echo, with: { tag: next }, if: steps.bad.conclusion == 'success' && steps.bad.outcome == 'failure' }
`);
    expect(statuses(errorOnly)).toEqual({ bad: "error", next: "passed" });
    expect(errorOnly.ok).toBe(true);
    const expectation = await run(`name: coe2
steps:
  - { id: bad, tool: test_echo, with: { tag: bad }, expect: [{ path: ok, equals: false }], continue-on-error: true }
  - { id: next, tool: test_echo, with: { tag: next } }
`);
    expect(statuses(expectation)).toEqual({ bad: "failed", next: "passed" });
    expect(expectation.ok).toBe(false);
  });

  it("retries until the expectation holds, and gives up after the last attempt", async () => {
    flakyLeft = 3;
    const r = await run(`name: retry
steps:
  - { id: wait, tool: test_flaky, retry: { attempts: 5, delay: 1ms }, expect: [{ path: ready, equals: true }] }
`);
    expect(r.ok).toBe(true);
    expect(r.steps[0].attempts).toBe(3);
    flakyLeft = 10;
    const r2 = await run(`name: retry2
steps:
  - { id: wait, tool: test_flaky, retry: { attempts: 2, delay: 1ms }, expect: [{ path: ready, equals: true }] }
`);
    expect(r2.steps[0]).toMatchObject({ status: "failed", attempts: 2 });
  });

  it("a step's timeout cancels it and fails the run; cleanup runs", async () => {
    const r = await run(`name: timeout
steps:
  - { id: hang, tool: test_slow, timeout: 50ms }
cleanup:
  - { id: tidy, tool: test_echo, with: { tag: tidy } }
`);
    expect(r.steps[0]).toMatchObject({ status: "error", error: { code: "timeout" } });
    expect(statuses(r).tidy).toBe("passed");
    expect(r.ok).toBe(false);
  });

  it("a cancel stops the steps but not the cleanup", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const r = await run(
      `name: cancel
steps:
  - { id: hang, tool: test_slow }
  - { id: after, tool: test_echo, with: { tag: after } }
cleanup:
  - { id: tidy, tool: test_echo, with: { tag: tidy } }
`,
      { signal: ac.signal },
    );
    expect(r.status).toBe("cancelled");
    expect(statuses(r)).toEqual({ hang: "error", after: "skipped", tidy: "passed" });
  });

  it("a dry run plans mutating steps and skips those that read a plan", async () => {
    const r = await run(
      `name: dry
steps:
  - { id: a, tool: test_echo, with: { tag: a }, expect: [{ path: tag, equals: never-checked }] }
  - { id: b, tool: test_echo, with: { tag: "\${{ steps.a.outputs.tag }}" } }
  - { id: c, tool: test_flaky }
`,
      { dryRun: true },
    );
    expect(calls).toEqual(["a (dry)", "flaky"]);
    expect(statuses(r)).toEqual({ a: "passed", b: "skipped", c: "passed" });
    expect(r.steps[1].reason).toMatch(/reads steps\.a's output, which a dry run only plans/);
  });

  it("the JUnit report has one test case per step; a failed expectation is a <failure>", async () => {
    const r = await run(`name: junit <&>
steps:
  - { id: good, tool: test_echo, with: { tag: good } }
  - { id: bad, tool: test_echo, with: { tag: "a <b> & c" }, expect: [{ path: tag, equals: x }] }
  - { id: later, tool: test_echo, with: { tag: later } }
`);
    const xml = renderReport(r, "junit");
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect(suite).toMatchObject({ name: "junit <&>", tests: "3", failures: "1", skipped: "1" });
    const cases = suite.testcase as Array<Record<string, unknown>>;
    expect(cases.map((c) => [c.name, "failure" in c, "skipped" in c])).toEqual([
      ["step 'good' (test_echo)", false, false],
      ["step 'bad' (test_echo)", true, false],
      ["step 'later' (test_echo)", false, true],
    ]);
    expect((cases[1].failure as { message: string }).message).toBe('expected tag == x: found "a <b> & c"');
    const md = renderReport(r, "markdown");
    expect(md).toContain("| 2 | step 'bad' | `test_echo` | FAILED |");
    expect(JSON.parse(renderReport(r, "json")).counts).toEqual({ passed: 1, failed: 1, error: 0, skipped: 1 });
  });

  it("a step without expectations is judged by the tool's own verdict (its CLI exit code); with expectations, they decide", async () => {
    const r = await run(`name: verdict
steps:
  - { id: judged, tool: test_echo, with: { tag: bad }, continue-on-error: true }
  - { id: decided, tool: test_echo, with: { tag: bad }, expect: [{ path: tag, equals: bad }] }
  - { id: fine, tool: test_echo, with: { tag: good } }
`);
    expect(statuses(r)).toEqual({ judged: "failed", decided: "passed", fine: "passed" });
    expect(r.steps[0].expectations).toEqual([{ text: "test_echo passes by its own verdict (its command-line exit code)", ok: false, actual: "exit code 1" }]);
    expect(r.ok).toBe(false);
  });
});
