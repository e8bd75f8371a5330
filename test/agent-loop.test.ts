/**
 * The loop's own rules, with small in-process planners and tools that start no
 * servers: the step budget, a planner that throws, a change left unverified, secrets
 * kept out of the transcript, and reading results as verifications.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runLoop } from "../src/agent/loop.js";
import type { Planner, PlannerTurn } from "../src/agent/planner.js";
import { renderArgs } from "../src/agent/render.js";
import { Transcript, redact, secretValues, secretsInText } from "../src/agent/transcript.js";
import { readVerification } from "../src/agent/verification.js";
import { ValidationError } from "../src/errors.js";
import type { InvokeResult } from "../src/registry/invoke.js";
import { createResolver } from "../src/targets/resolver.js";
import { allTools } from "../tools/index.js";
import { downAllLabs, useTempLabHome } from "./helpers/env.js";

const home = useTempLabHome();
afterEach(downAllLabs);

/** A planner that plays fixed turns, whatever the outcomes. */
function scripted(turns: PlannerTurn[]): Planner {
  let i = 0;
  return { name: "builtin", next: async () => turns[Math.min(i++, turns.length - 1)] };
}

const transcriptFile = () => join(mkdtempSync(join(home, "t-")), "run.jsonl");
const loop = (planner: Planner, extra: Partial<Parameters<typeof runLoop>[0]> = {}) =>
  runLoop({ request: "test", planner, tools: allTools, targets: createResolver({}), transcript: new Transcript(transcriptFile()), ...extra });

describe("runLoop", () => {
  it("stops at the step budget", async () => {
    const r = await loop(scripted([{ kind: "calls", calls: [{ id: "a", tool: "lab_list", args: {} }] }]), { maxSteps: 3 });
    expect(r.outcome).toBe("budget_exhausted");
    expect(r.steps).toHaveLength(3);
    expect(r.message).toMatch(/step budget \(3 tool calls\)/);
  });

  it("a planner that throws ends the run failed, with the error's sentence", async () => {
    const planner: Planner = { name: "claude", next: async () => { throw new ValidationError("The model id is wrong.", "Fix it."); } };
    const r = await loop(planner);
    expect(r).toMatchObject({ outcome: "failed", message: "The model id is wrong. Fix it." });
  });

  it("a change the planner never verified ends unverified", async () => {
    const r = await loop(
      scripted([
        { kind: "calls", calls: [{ id: "a", tool: "lab_up", args: { name: "plain", nodes: 1, cluster: false } }] },
        { kind: "done", text: "Started." },
      ]),
    );
    expect(r.outcome).toBe("unverified");
    expect(r.labsStarted).toEqual(["plain"]);
    expect(r.message).toMatch(/^Started\. The last change was not verified/);
  });

  it("keeps passwords out of the transcript and the printed arguments", async () => {
    const path = transcriptFile();
    const r = await loop(
      scripted([
        { kind: "calls", calls: [{ id: "a", tool: "lab_up", args: { name: "secret", nodes: 3, password: "hunter2-pw", dryRun: true } }] },
        { kind: "done", text: "Would start with password hunter2-pw." },
      ]),
      { transcript: new Transcript(path) },
    );
    expect(r.steps[0].ok).toBe(true);
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain("hunter2-pw");
    expect(text).toContain('"password":"[redacted]"');
    expect(renderArgs(r.steps[0].args)).toBe("name=secret nodes=3 password=[redacted] dryRun=true");
  });
});

describe("transcript secrets", () => {
  const lines = (path: string) => readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

  it("a password typed into the request never reaches the file or the result", async () => {
    const path = transcriptFile();
    const r = await loop(scripted([{ kind: "done", text: "Nothing to do for s3cret-pw." }]), {
      request: "start a lab with password s3cret-pw",
      transcript: new Transcript(path),
    });
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain("s3cret-pw");
    expect(lines(path)[0]).toMatchObject({ type: "request", request: "start a lab with password [redacted]" });
    expect(r.request).toBe("start a lab with password [redacted]");
    expect(r.message).toBe("Nothing to do for [redacted].");
  });

  it("a planner's text is scrubbed of the secrets in the same turn's call arguments", async () => {
    const path = transcriptFile();
    const shown: string[] = [];
    await loop(
      scripted([
        { kind: "calls", text: "Starting with hunter3-pw as the lab password.", calls: [{ id: "a", tool: "lab_up", args: { name: "p", nodes: 1, password: "hunter3-pw", dryRun: true } }] },
        { kind: "done", text: "Done." },
      ]),
      { transcript: new Transcript(path), onEvent: (e) => e.type === "planner" && shown.push(e.text) },
    );
    expect(readFileSync(path, "utf8")).not.toContain("hunter3-pw");
    expect(lines(path)[1]).toMatchObject({ type: "planner", text: "Starting with [redacted] as the lab password." });
    expect(shown).toEqual(["Starting with [redacted] as the lab password."]);
  });

  it("scrubs ANTHROPIC_AUTH_TOKEN and ANTHROPIC_API_KEY from every record", async () => {
    const saved = { token: process.env.ANTHROPIC_AUTH_TOKEN, key: process.env.ANTHROPIC_API_KEY };
    process.env.ANTHROPIC_AUTH_TOKEN = "tok-abcdef-123";
    process.env.ANTHROPIC_API_KEY = "key-abcdef-456";
    try {
      const path = transcriptFile();
      await loop(scripted([{ kind: "done", text: "Credentials tok-abcdef-123 and key-abcdef-456." }]), { transcript: new Transcript(path) });
      expect(lines(path).at(-1)).toMatchObject({ type: "end", message: "Credentials [redacted] and [redacted]." });
    } finally {
      for (const [name, value] of [["ANTHROPIC_AUTH_TOKEN", saved.token], ["ANTHROPIC_API_KEY", saved.key]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("records the planner's model id in the request record", async () => {
    const path = transcriptFile();
    const planner: Planner = { name: "claude", model: "model-x-1", next: async () => ({ kind: "done", text: "ok" }) };
    await loop(planner, { transcript: new Transcript(path) });
    expect(lines(path)[0]).toMatchObject({ type: "request", planner: "claude", model: "model-x-1" });
  });

  it.each([
    ["create a lab with password hunter2", ["hunter2"]],
    ["use requirepass=s3cr3t and masterauth: s3cr3t", ["s3cr3t"]],
    ["the password is 'p@ss word'", ["p@ss word"]],
    ["API key sk-ant-123, token abc.def.", ["sk-ant-123", "abc.def"]],
    ["a password-protected lab with auth enabled", []],
    ["set a password for the lab", []],
  ])("secretsInText(%j)", (text, expected) => {
    expect([...secretsInText(text)]).toEqual(expected);
  });
});

describe("redact", () => {
  it("replaces secret keys and scrubs their values everywhere", () => {
    const value = { args: { password: "pw1", passwordSet: true }, summary: "used pw1", nested: [{ token: "t0k" }, "t0k"] };
    expect(redact(value, secretValues(value))).toEqual({
      args: { password: "[redacted]", passwordSet: true },
      summary: "used [redacted]",
      nested: [{ token: "[redacted]" }, "[redacted]"],
    });
  });
});

describe("readVerification", () => {
  const ok = (output: Record<string, unknown>): InvokeResult => ({ ok: true, output, summary: "s", durationMs: 1 });
  const finding = { severity: "error", code: "slots_uncovered", message: "Slots 0-10 have no owner.", next: "Run cluster fix." };

  it.each([
    ["a passing check", ok({ ok: true, findings: [] }), false, { ok: true, findings: [] }],
    ["a failing check names its first error", ok({ ok: false, findings: [finding] }), false, { ok: false, failure: "slots_uncovered: Slots 0-10 have no owner. Next: Run cluster fix." }],
    ["a dry run is no verification", ok({ ok: false, findings: [] }), true, undefined],
    ["a result without findings is none", ok({ name: "lab" }), false, undefined],
    ["a plain error is none", { ok: false, error: { code: "lab_not_found", message: "m", next: "n" }, summary: "m n", durationMs: 1 } as InvokeResult, false, undefined],
    [
      "verification_failed with findings in details",
      { ok: false, error: { code: "verification_failed", message: "Not verified.", next: "Check.", details: [finding] }, summary: "x", durationMs: 1 } as InvokeResult,
      false,
      { ok: false, findings: [finding], failure: "slots_uncovered: Slots 0-10 have no owner. Next: Run cluster fix." },
    ],
    [
      "verification_failed without details falls back to the error",
      { ok: false, error: { code: "verification_failed", message: "Not verified.", next: "Check." }, summary: "x", durationMs: 1 } as InvokeResult,
      false,
      { ok: false, failure: "Not verified. Next: Check." },
    ],
  ])("%s", (_name, result, dryRun, expected) => {
    const v = readVerification(result, dryRun);
    if (expected === undefined) expect(v).toBeUndefined();
    else expect(v).toMatchObject(expected);
  });
});
