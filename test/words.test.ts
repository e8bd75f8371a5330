/**
 * Tools and arguments named in messages, in each front end's words: MCP (and the agent,
 * runbooks) say tool and argument names; the CLI says verbs and flags (src/cli/words.ts).
 */
import { describe, expect, it } from "vitest";
import { cliWords } from "../src/cli/words.js";
import { againRef, argRef, callRef, mcpWords, speak, speakAll, toolRef } from "../src/registry/words.js";
import { allTools } from "../tools/index.js";

const cli = cliWords(allTools);

describe("speak", () => {
  it.each([
    [`Run ${toolRef("cluster_check")}.`, "Run cluster_check.", "Run 'redis-pilot cluster check'."],
    [`Stop it with ${callRef("lab_down", { name: "demo" })}.`, "Stop it with lab_down with name: demo.", "Stop it with 'redis-pilot lab down demo'."],
    [`Pass ${argRef("lab", "NAME")}.`, "Pass lab: NAME.", "Pass --lab NAME."],
    [`Then ${callRef("lab_up", { name: "demo", nodes: "3" })}.`, "Then lab_up with name: demo, nodes: 3.", "Then 'redis-pilot lab up --name demo --nodes 3'."],
    [`Pass ${argRef("nodes", "[HOST:PORT, ...]")}.`, "Pass nodes: [HOST:PORT, ...].", "Pass HOST:PORT arguments."],
    [`Fix ${argRef("replicasPerMaster", undefined, "cluster_check")}.`, "Fix replicasPerMaster.", "Fix --replicas."],
    [`Fix ${argRef("timeoutMs", undefined, "cluster_create")}.`, "Fix timeoutMs.", "Fix --timeout."],
    [`Then ${againRef("lab_down", { confirm: "true" })}.`, "Then call lab_down again with confirm: true.", "Then run the command again with --yes."],
    [`Then ${againRef("lab_up")}.`, "Then call lab_up again.", "Then run the command again."],
    [`Set ${argRef("password", "SECRET", "lab_up")}.`, "Set password: SECRET.", "Set --password-env VAR."],
    ["No reference here.", "No reference here.", "No reference here."],
  ])("%s", (text, mcp, command) => {
    expect(speak(text, mcpWords)).toBe(mcp);
    expect(speak(text, cli)).toBe(command);
  });

  it("speaks every string inside a value, leaving the rest", () => {
    const value = { ok: false, findings: [{ next: `Run ${toolRef("cluster_info")}.`, count: 2 }], none: null };
    expect(speakAll(value, cli)).toEqual({ ok: false, findings: [{ next: "Run 'redis-pilot cluster info'.", count: 2 }], none: null });
  });
});
