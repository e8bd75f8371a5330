// A malformed runbook fails validation as a whole, before anything runs: each kind of
// mistake gets one sentence naming the step, the line and the problem. Each case is
// checked twice: the problem from validateRunbook, and through the runbook_run tool,
// where it must come back as runbook_invalid with no lab started (the runbook's target
// asks for one, so a run that got past validation would leave one behind).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listLabs } from "../src/lab/index.js";
import { invokeTool } from "../src/registry/invoke.js";
import { speakAll } from "../src/registry/words.js";
import { cliWords } from "../src/cli/words.js";
import { validateRunbook } from "../src/runbook/index.js";
import type { Problem } from "../src/runbook/types.js";
import { createResolver } from "../src/targets/resolver.js";
import { allTools } from "../tools/index.js";
import { useTempLabHome } from "./helpers/env.js";

useTempLabHome();
const dir = mkdtempSync(join(tmpdir(), "runbook-validate-"));
let files = 0;

const HEADER = `name: malformed
target:
  lab: { name: never-started, nodes: 3 }
vars:
  masters: 3
steps:
`;

interface Expected {
  step?: string;
  line: number;
  message: RegExp;
  vars?: Record<string, string>;
  env?: Record<string, string>;
}

async function expectInvalid(body: string, want: Expected, header = HEADER): Promise<Problem> {
  const text = header + body;
  const v = validateRunbook(text, { tools: allTools, vars: want.vars, env: want.env ?? {} });
  expect(v.ok, "the runbook should be invalid").toBe(false);
  // Messages may name a front end's argument (a --var override); read them in the command line's words.
  const problems = speakAll((v as { problems: Problem[] }).problems, cliWords(allTools));
  const p = problems.find((x) => want.message.test(x.message));
  expect(p, `no problem matches ${want.message}; got:\n${problems.map((x) => `${x.line}: ${x.step}: ${x.message}`).join("\n")}`).toBeDefined();
  expect(p!.step).toBe(want.step);
  expect(p!.line).toBe(want.line);
  // Through the tool: refused as a whole, nothing started.
  const file = join(dir, `case-${++files}.yaml`);
  writeFileSync(file, text);
  const r = await invokeTool(allTools.find((t) => t.name === "runbook_run")!, { file, vars: want.vars, confirm: true }, {
    ctx: { progress: () => {}, signal: new AbortController().signal, targets: createResolver({}) },
  });
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error.code).toBe("runbook_invalid");
    expect(r.error.message).toContain(`${file}:${want.line}:`);
    expect(r.error.message).not.toMatch(/--var|\u27e6/);
  }
  expect(await listLabs()).toEqual([]);
  return p!;
}

describe("runbook validation: one problem, its step and line, nothing run", () => {
  it("YAML syntax error", async () => {
    await expectInvalid(`  - tool: cluster_check\n    with: { replicasPerMaster: 1\n`, { line: 9, message: /^YAML: / });
  });

  it("unknown tool, with a suggestion", async () => {
    await expectInvalid(`  - id: check\n    tool: cluster_chek\n`, { step: "step 'check'", line: 8, message: /unknown tool 'cluster_chek'; did you mean 'cluster_check'\?/ });
  });

  it("argument of the wrong type, checked against the tool's zod input", async () => {
    await expectInvalid(`  - id: create\n    tool: cluster_create\n    with:\n      replicas: two\n`, {
      step: "step 'create'",
      line: 10,
      message: /^with\.replicas must be a number, not a string$/,
    });
  });

  it("argument out of the tool's range", async () => {
    await expectInvalid(`  - tool: cluster_create\n    with: { replicas: 99 }\n`, { step: "step 1 (cluster_create)", line: 8, message: /^with\.replicas must be at most 16$/ });
  });

  it("argument the tool does not take", async () => {
    await expectInvalid(`  - tool: cluster_create\n    with: { replicaz: 1 }\n`, { step: "step 1 (cluster_create)", line: 8, message: /takes no argument 'replicaz'; did you mean 'replicas'\?/ });
  });

  it("reference to a step that does not exist", async () => {
    await expectInvalid(`  - id: check\n    tool: cluster_check\n    with:\n      nodes: ["\${{ steps.creat.outputs.nodes[0].address }}"]\n`, {
      step: "step 'check'",
      line: 10,
      message: /there is no step with id 'creat'/,
    });
  });

  it("reference to a step that comes later", async () => {
    await expectInvalid(
      `  - id: check\n    tool: cluster_check\n    if: steps.create.outputs.ok\n  - id: create\n    tool: cluster_create\n`,
      { step: "step 'check'", line: 9, message: /step 'create' comes later; a step can only read the steps before it/ },
    );
  });

  it("reference to a field the earlier step's output does not have", async () => {
    await expectInvalid(`  - id: create\n    tool: cluster_create\n  - tool: cluster_check\n    with:\n      nodes: ["\${{ steps.create.outputs.nodez[0] }}"]\n`, {
      step: "step 2 (cluster_check)",
      line: 11,
      message: /cluster_create's output: it has no field 'nodez'/,
    });
  });

  it("destructive tool without confirm: true", async () => {
    await expectInvalid(`  - id: down\n    tool: lab_down\n    with: { name: never-started }\n`, { step: "step 'down'", line: 7, message: /lab_down is destructive; after reviewing it, add confirm: true/ });
  });

  it("type mismatch: a string output fills a number argument", async () => {
    await expectInvalid(`  - id: create\n    tool: cluster_create\n  - tool: cluster_check\n    with:\n      replicasPerMaster: \${{ steps.create.outputs.nodes[0].address }}\n`, {
      step: "step 2 (cluster_check)",
      line: 11,
      message: /^type mismatch: with\.replicasPerMaster gets a string .* but cluster_check wants a number$/,
    });
  });

  it("expectation on a path the output does not have", async () => {
    await expectInvalid(`  - id: check\n    tool: cluster_check\n    expect:\n      - { path: counts.mastres, equals: 3 }\n`, {
      step: "step 'check'",
      line: 10,
      message: /expect\[0\]: cluster_check's output: counts has no field 'mastres' \(fields: .*masters/,
    });
  });

  it("expectation of the wrong type: a number comparison on a boolean", async () => {
    await expectInvalid(`  - id: check\n    tool: cluster_check\n    expect:\n      - path: ok\n        gt: 1\n`, {
      step: "step 'check'",
      line: 11,
      message: /expect\[0\]: type mismatch: gt compares numbers, but ok is true or false/,
    });
  });

  it("expectation with two operators", async () => {
    await expectInvalid(`  - id: check\n    tool: cluster_check\n    expect:\n      - { path: counts.masters, gte: 3, lte: 1 }\n`, {
      step: "step 'check'",
      line: 10,
      message: /has both gte and lte; write one expectation for each/,
    });
  });

  it("unknown var", async () => {
    await expectInvalid(`  - tool: cluster_create\n    with: { masters: "\${{ vars.mastrs }}" }\n`, { step: "step 1 (cluster_create)", line: 8, message: /there is no var 'mastrs' \(vars: masters\)/ });
  });

  it("--var of the wrong type", async () => {
    await expectInvalid(`  - tool: cluster_create\n    with: { masters: "\${{ vars.masters }}" }\n`, { line: 5, message: /--var masters=three: vars\.masters is a number/, vars: { masters: "three" } });
  });

  it("a var override that fails the tool's own check", async () => {
    await expectInvalid(`  - tool: cluster_create\n    with: { masters: "\${{ vars.masters }}" }\n`, { step: "step 1 (cluster_create)", line: 8, message: /^with\.masters must be at least 3$/, vars: { masters: "2" } });
  });

  it("duplicate step id", async () => {
    await expectInvalid(`  - id: check\n    tool: cluster_check\n  - id: check\n    tool: cluster_info\n`, { step: "step 'check'", line: 9, message: /id 'check' is already used by step 'check'/ });
  });

  it("unknown field on a step, with a suggestion", async () => {
    await expectInvalid(`  - tool: cluster_check\n    expects:\n      - { path: ok, equals: true }\n`, { step: "step 1 (cluster_check)", line: 7, message: /unknown field 'expects'; did you mean 'expect'\?/ });
  });

  it("expression syntax error", async () => {
    await expectInvalid(`  - tool: cluster_check\n    if: steps.x.outputs.ok ==\n`, { step: "step 1 (cluster_check)", line: 8, message: /if: .*expected a value but found the end/ });
  });

  it("a tool that needs a target when the runbook names none", async () => {
    await expectInvalid(`  - tool: cluster_check\n`, { step: "step 1 (cluster_check)", line: 3, message: /acts on a lab, target or nodes; set the runbook's target/ }, "name: no target\nsteps:\n");
  });

  it("an environment variable that is not set", async () => {
    await expectInvalid(`  - tool: cluster_check\n    with: { nodes: ["\${{ env.RB_SEED }}"] }\n`, { step: "step 1 (cluster_check)", line: 8, message: /the environment variable RB_SEED is not set/ });
  });

  it("a bad timeout", async () => {
    await expectInvalid(`  - tool: cluster_check\n    timeout: soon\n`, { step: "step 1 (cluster_check)", line: 8, message: /^timeout must be a duration like 500ms, 30s, 2m or 1h$/ });
  });
});

describe("validation passes what it should", () => {
  it("references, saves, vars and env of the right types", () => {
    const text = `${HEADER}  - id: create
    tool: cluster_create
    with: { masters: "\${{ vars.masters }}" }
    save: { seed: "nodes[0].address" }
  - tool: cluster_check
    with:
      nodes: ["\${{ steps.create.outputs.seed }}", "\${{ env.RB_OTHER }}"]
    if: \${{ steps.create.outcome == 'success' && steps.create.outputs.ok }}
    expect:
      - { path: counts.masters, equals: "\${{ vars.masters }}" }
      - { path: findings, count: { lte: 0 }, where: { severity: error } }
      - that: \${{ output.counts.slotsCovered == 16384 }}
cleanup:
  - tool: lab_status
    with: { name: "\${{ target.lab }}" }
    if: always()
`;
    const v = validateRunbook(text, { tools: allTools, env: { RB_OTHER: "127.0.0.1:7001" } });
    expect(v.ok ? [] : v.problems).toEqual([]);
    if (!v.ok) return;
    expect(v.runbook.steps[0].args).toMatchObject({ lab: "never-started", masters: 3 });
    expect(v.runbook.steps[1].reads).toEqual(["create"]);
    expect(v.runbook.env).toEqual({ RB_OTHER: "127.0.0.1:7001" });
  });
});
