// The committed JSON Schema editors validate runbooks with (runbooks/runbook.schema.json,
// named by each example's `# yaml-language-server: $schema=` line) is current, is a valid
// draft-07 schema, accepts every example, and catches what a reviewer should not have to:
// an unknown tool, a misspelt argument, a destructive step without confirm. It is made
// from the registry, so a new tool changes it: rewrite it with `npm run snapshot:update`.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { runbookJsonSchemaText } from "../src/runbook/json-schema.js";
import { allTools } from "../tools/index.js";
import { CLI } from "./helpers/cli.js";

const RUNBOOKS = new URL("../runbooks/", import.meta.url).pathname;
const SCHEMA = join(RUNBOOKS, "runbook.schema.json");
const current = runbookJsonSchemaText(allTools);
if (process.env.REDIS_PILOT_UPDATE_SNAPSHOTS === "1") writeFileSync(SCHEMA, current);

const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")));

describe("runbook JSON Schema", () => {
  it("runbooks/runbook.schema.json is current (npm run snapshot:update rewrites it)", () => {
    expect(JSON.parse(readFileSync(SCHEMA, "utf8"))).toEqual(JSON.parse(current));
  });

  it("`redis-pilot runbook schema` prints it", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, "runbook", "schema"]);
    expect(stdout).toBe(current);
  });

  it.each(readdirSync(RUNBOOKS).filter((f) => f.endsWith(".yaml")))("accepts %s", (f) => {
    const ok = validate(parse(readFileSync(join(RUNBOOKS, f), "utf8")));
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  const base = { name: "x", target: { lab: "demo" } };
  it.each([
    ["an unknown tool", { ...base, steps: [{ tool: "cluster_chek" }] }],
    ["a misspelt argument", { ...base, steps: [{ tool: "cluster_create", with: { replicaz: 1 } }] }],
    ["a wrong argument type", { ...base, steps: [{ tool: "cluster_create", with: { replicas: "one" } }] }],
    ["a destructive step without confirm", { ...base, steps: [{ tool: "lab_down", with: { name: "demo" } }] }],
    ["an unknown step field", { ...base, steps: [{ tool: "cluster_check", expects: [] }] }],
  ])("rejects %s", (_what, doc) => {
    expect(validate(doc)).toBe(false);
  });

  it("lets any argument be an expression", () => {
    const doc = { ...base, vars: { r: 1 }, steps: [{ id: "c", tool: "cluster_create", with: { replicas: "${{ vars.r }}", dryRun: "${{ vars.dry }}" } }] };
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
  });
});
