/**
 * The Claude planner through the real @anthropic-ai/sdk client, pointed at a local
 * server that plays scripted model turns (test/helpers/fake-anthropic.ts). Real
 * redis-server processes underneath: create + check ends verified and the transcript
 * matches; bad arguments come back as is_error and the model recovers; a failing tool,
 * an unknown tool and max_tokens stop honestly; the model cannot confirm for the user;
 * a node killed between steps makes the check fail and the loop stop with the finding;
 * a run that simply ends keeps its lab; pause_turn resumes the same assistant turn.
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { loadAgentDefinition } from "../src/agent/agent-md.js";
import { renderRun } from "../src/agent/render.js";
import { runAgent, type AgentRunOptions } from "../src/agent/run.js";
import { labUp, listLabs, loadLab } from "../src/lab/index.js";
import { allTools } from "../tools/index.js";
import { downAllLabs, useTempLabHome } from "./helpers/env.js";
import { redisCliClusterCheck } from "./helpers/redis-cli.js";
import { apiKeyOf, lastToolResults, reply, startFakeAnthropic, text, toolUse, type FakeAnthropic, type ScriptedTurn } from "./helpers/fake-anthropic.js";

useTempLabHome();
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await downAllLabs();
});

async function runScripted(request: string, turns: ScriptedTurn[], extra: Partial<AgentRunOptions> = {}) {
  fake = await startFakeAnthropic(turns);
  const run = await runAgent({
    request,
    planner: "claude",
    model: "scripted-model",
    config: { targets: {} },
    anthropic: { apiKey: "test-key", baseURL: fake.baseURL, maxRetries: 0 },
    ...extra,
  });
  return { run, fake };
}

const results = (req: Parameters<typeof lastToolResults>[0]) =>
  lastToolResults(req).map((r) => ({ isError: r.is_error === true, body: JSON.parse(String(r.content)) as Record<string, any> }));

/** Resolves once nothing accepts connections on host:port (the process is gone). */
async function waitUntilRefused(host: string, port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host, port }, () => (s.destroy(), resolve(false)));
      s.on("error", () => resolve(true));
    });
    if (refused) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${host}:${port} still accepts connections`);
}

describe("Claude planner (scripted Messages API)", () => {
  it("create + check on a lab ends verified, and the transcript matches the calls", async () => {
    const { run, fake } = await runScripted("Create a 6-node Redis Cluster with 3 masters", [
      reply("tool_use", text("Plan: start lab claude, create 3 masters with 1 replica each, then check."), toolUse("lab_up", { name: "claude", nodes: 6 })),
      (req) => {
        const [r] = results(req);
        if (r.isError || r.body.output.name !== "claude") throw new Error(`unexpected lab_up result ${JSON.stringify(r)}`);
        return reply("tool_use", toolUse("cluster_create", { lab: "claude", replicas: 1, masters: 3 }));
      },
      reply("tool_use", toolUse("cluster_check", { lab: "claude", replicasPerMaster: 1 })),
      (req) => {
        const [r] = results(req);
        if (r.isError || r.body.output.ok !== true) throw new Error(`check did not pass: ${JSON.stringify(r)}`);
        return reply("end_turn", text("Created lab claude with a verified 3-master cluster."));
      },
    ]);
    expect(run.outcome, renderRun(run)).toBe("verified");
    expect(run.verification).toMatchObject({ ok: true, tool: "cluster_check", step: 3 });
    expect(run.message).toBe("Created lab claude with a verified 3-master cluster.");
    expect(fake.remaining()).toBe(0);
    const lab = await loadLab("claude");
    const judge = await redisCliClusterCheck(`${lab!.nodes[0].host}:${lab!.nodes[0].port}`);
    expect(judge.ok, judge.output).toBe(true);

    const first = fake.requests[0];
    expect(apiKeyOf(first.headers)).toBe("test-key");
    expect(first.body.model).toBe("scripted-model");
    expect(first.body.system).toBe(loadAgentDefinition().prompt);
    expect(first.body.messages[0]).toEqual({ role: "user", content: "Create a 6-node Redis Cluster with 3 masters" });
    expect(first.body.tools!.map((t) => t.name)).toEqual(allTools.map((t) => t.name));
    for (const t of first.body.tools!) expect(Object.keys((t.input_schema.properties ?? {}) as object)).not.toContain("confirm");

    const lines = readFileSync(run.transcriptPath, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "request", planner: "claude", model: "scripted-model" });
    const calls = lines.filter((l) => l.type === "call");
    expect(calls.map((c) => [c.tool, c.args, c.ok])).toEqual([
      ["lab_up", { name: "claude", nodes: 6 }, true],
      ["cluster_create", { lab: "claude", replicas: 1, masters: 3 }, true],
      ["cluster_check", { lab: "claude", replicasPerMaster: 1 }, true],
    ]);
    expect(calls.every((c) => typeof c.durationMs === "number" && typeof c.summary === "string")).toBe(true);
  });

  it("a call with bad arguments gets an is_error tool_result and the model recovers", async () => {
    const { run } = await runScripted("Show me the plan for a 6-node lab", [
      reply("tool_use", toolUse("lab_up", { name: "plan", nodes: "six", dryRun: true })),
      (req) => {
        const [r] = results(req);
        if (!r.isError || r.body.error.code !== "invalid_input" || !/nodes/.test(r.body.error.message)) throw new Error(`expected invalid_input on nodes: ${JSON.stringify(r)}`);
        return reply("tool_use", text("Fixing nodes to a number."), toolUse("lab_up", { name: "plan", nodes: 6, dryRun: true }));
      },
      (req) => {
        const [r] = results(req);
        if (r.isError || r.body.output.dryRun !== true) throw new Error(`expected a dry-run plan: ${JSON.stringify(r)}`);
        return reply("end_turn", text("Lab plan would start 6 nodes."));
      },
    ]);
    expect(run.outcome, renderRun(run)).toBe("done");
    expect(run.steps.map((s) => [s.ok, s.error?.code])).toEqual([[false, "invalid_input"], [true, undefined]]);
    expect(await listLabs()).toEqual([]);
  });

  it("a failing tool and an unknown tool come back as errors; the run ends failed", async () => {
    const { run, fake } = await runScripted("check lab missing", [
      reply("tool_use", toolUse("cluster_check", { lab: "missing" }), toolUse("cluster_reshard", { lab: "missing" })),
      (req) => {
        const [check, reshard] = results(req);
        if (!check.isError || check.body.error.code !== "lab_not_found") throw new Error(`expected lab_not_found: ${JSON.stringify(check)}`);
        if (!reshard.isError || !/no tool named cluster_reshard/.test(reshard.body.notRun)) throw new Error(`expected unknown tool: ${JSON.stringify(reshard)}`);
        return reply("end_turn", text("There is no lab named missing, and resharding is not available."));
      },
    ]);
    expect(run.outcome).toBe("failed");
    expect(run.steps.map((s) => [s.tool, s.ok])).toEqual([["cluster_check", false], ["cluster_reshard", false]]);
    expect(fake.remaining()).toBe(0);
  });

  it("--dry-run forces dryRun on mutating calls and starts nothing", async () => {
    const { run, fake } = await runScripted(
      "Create a 6-node Redis Cluster with 3 masters",
      [
        reply("tool_use", toolUse("lab_up", { name: "dry", nodes: 6 })),
        (req) => {
          const [r] = results(req);
          if (r.isError || r.body.output.dryRun !== true) throw new Error(`lab_up should have been a dry run: ${JSON.stringify(r)}`);
          return reply("tool_use", toolUse("cluster_create", { lab: "dry", replicas: 1 }));
        },
        (req) => {
          const [r] = results(req);
          if (!r.isError || !/lab dry is only planned/.test(r.body.notRun)) throw new Error(`cluster_create should not run: ${JSON.stringify(r)}`);
          return reply("end_turn", text("Plan: lab_up then cluster_create."));
        },
      ],
      { dryRun: true },
    );
    expect(run.outcome, renderRun(run)).toBe("planned");
    expect(run.steps.map((s) => [s.tool, s.args.dryRun, s.skipped === undefined])).toEqual([["lab_up", true, true], ["cluster_create", true, false]]);
    expect(String(fake.requests[0].body.messages[0].content)).toMatch(/This is a dry run/);
    expect(await listLabs()).toEqual([]);
  });

  it("max_tokens stops the loop and says so (model id from the config file)", async () => {
    const envModel = process.env.REDIS_PILOT_MODEL;
    delete process.env.REDIS_PILOT_MODEL;
    const { run, fake } = await runScripted("Create a 6-node Redis Cluster with 3 masters", [reply("max_tokens", text("First I will"))], {
      model: undefined,
      config: { targets: {}, agent: { model: "model-from-config" } },
    }).finally(() => {
      if (envModel !== undefined) process.env.REDIS_PILOT_MODEL = envModel;
    });
    expect(fake.requests[0].body.model).toBe("model-from-config");
    expect(run.outcome).toBe("stopped");
    expect(run.message).toMatch(/^First I will\nThe model hit its output limit \(max_tokens 4096\)/);
    expect(run.steps).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("the model cannot confirm a destructive call for the user; --yes can", async () => {
    await labUp({ name: "keepme", nodes: 1, cluster: false });
    const refused = await runScripted("remove lab keepme", [
      reply("tool_use", toolUse("lab_down", { name: "keepme", confirm: true })),
      (req) => {
        const [r] = results(req);
        if (!r.isError || r.body.error.code !== "confirmation_required") throw new Error(`expected confirmation_required: ${JSON.stringify(r)}`);
        return reply("end_turn", text("lab_down needs your confirmation."));
      },
    ]);
    expect(refused.run.steps[0].args).toEqual({ name: "keepme" });
    expect(await loadLab("keepme")).toBeDefined();
    await fake!.close();

    const confirmed = await runScripted("remove lab keepme", [reply("tool_use", toolUse("lab_down", { name: "keepme" })), reply("end_turn", text("Removed."))], { yes: true });
    expect(confirmed.run.steps.map((s) => s.ok)).toEqual([true]);
    expect(await loadLab("keepme")).toBeUndefined();
  });

  it("a node killed between steps fails the check; the loop stops with the finding", async () => {
    let killed = "";
    const { run, fake } = await runScripted("Create a 6-node Redis Cluster with 3 masters and check it", [
      reply("tool_use", toolUse("lab_up", { name: "victim", nodes: 6 })),
      reply("tool_use", toolUse("cluster_create", { lab: "victim", replicas: 1 })),
      async () => {
        const node = (await loadLab("victim"))!.nodes[2];
        killed = `${node.host}:${node.port}`;
        process.kill(node.pid!, "SIGKILL");
        await waitUntilRefused(node.host, node.port);
        return reply("tool_use", toolUse("cluster_check", { lab: "victim" }));
      },
      reply("end_turn", text("This turn must never be asked for.")),
    ]);
    expect(run.outcome, renderRun(run)).toBe("verification_failed");
    expect(run.steps.map((s) => [s.tool, s.verification?.ok])).toEqual([["lab_up", undefined], ["cluster_create", true], ["cluster_check", false]]);
    expect(run.message).toMatch(/^Verification failed at step 3 \(cluster_check\): node_unreachable: .+ Next: /);
    expect(run.message).toContain(killed);
    expect(fake.requests).toHaveLength(3);
    // A failed run removes the lab it started (no --keep).
    expect(run.cleanup).toEqual([expect.objectContaining({ lab: "victim", ok: true })]);
    expect(await listLabs()).toEqual([]);
  });

  it("start a 6-node lab: lab_up then end_turn ends unverified and the lab stays", async () => {
    const { run } = await runScripted("start a 6-node lab", [
      reply("tool_use", toolUse("lab_up", { name: "kept", nodes: 6 })),
      reply("end_turn", text("Lab kept is up with 6 empty nodes.")),
    ]);
    expect(run.outcome, renderRun(run)).toBe("unverified");
    expect(run.cleanup).toEqual([]);
    expect(run.labsStarted).toEqual(["kept"]);
    expect((await loadLab("kept"))?.nodes).toHaveLength(6);
  });

  it("pause_turn: the thread goes back ending in the paused turn, and its continuation joins it", async () => {
    const { run, fake } = await runScripted("list the labs", [
      reply("pause_turn", text("Looking at the labs.")),
      (req) => {
        const last = req.messages[req.messages.length - 1];
        if (last.role !== "assistant" || JSON.stringify(last.content) !== JSON.stringify([{ type: "text", text: "Looking at the labs." }])) {
          throw new Error(`expected the paused assistant turn last: ${JSON.stringify(req.messages)}`);
        }
        return reply("tool_use", toolUse("lab_list", {}));
      },
      (req) => {
        const roles = req.messages.map((m) => m.role);
        if (roles.join(",") !== "user,assistant,user") throw new Error(`expected one assistant turn: ${roles.join(",")}`);
        const turn = req.messages[1].content as { type: string }[];
        if (turn.map((b) => b.type).join(",") !== "text,tool_use") throw new Error(`expected text + tool_use in one turn: ${JSON.stringify(turn)}`);
        return reply("end_turn", text("No labs."));
      },
    ]);
    expect(run.outcome, renderRun(run)).toBe("done");
    expect(run.message).toBe("No labs.");
    expect(fake.remaining()).toBe(0);
  });
});
