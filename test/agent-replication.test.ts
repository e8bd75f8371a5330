// The replication and Sentinel families through the built-in planner on real servers:
// "Configure read replicas for scaling read operations" (read-replicas template, verified
// by replication_check), "how far behind are my replicas" (replication_lag, answered with
// numbers), and Sentinel with 5 sentinels (lab_up, replication_attach, sentinel_monitor).
import { afterEach, describe, expect, it } from "vitest";
import { runAgent, type AgentRun } from "../src/agent/run.js";
import { downAllLabs, useTempLabHome } from "./helpers/env.js";

useTempLabHome();
afterEach(downAllLabs);

const run = (request: string, extra: Partial<Parameters<typeof runAgent>[0]> = {}): Promise<AgentRun> =>
  runAgent({ request, planner: "builtin", config: { targets: {} }, ...extra });

describe("replication families", () => {
  it("Configure read replicas for scaling read operations, then ask how far behind they are", async () => {
    const setup = await run("Configure read replicas for scaling read operations", { newLabName: () => "reads" });
    expect(setup.outcome).toBe("verified");
    expect(setup.steps.map((s) => s.tool)).toEqual(["lab_up", "replication_check"]);
    const lag = await run("how far behind are my replicas");
    expect(lag.steps.map((s) => s.tool)).toEqual(["lab_list", "replication_lag"]);
    expect(lag.message).toMatch(/^Replication lag at lab reads over \d+ samples: .+ bytes behind on average/);
    // Questions and looks read only: what runs there first, then replication_info or replication_check.
    const master = await run("which node is the master in lab reads?");
    expect(master.steps.map((s) => s.tool)).toEqual(["lab_list", "replication_info"]);
    expect(master.message).toMatch(/^Read lab reads with replication_info: 127\.0\.1\.\d+:\d+ is a master with 1 replica \(127\.0\.1\.\d+:\d+ link up\)\.$/);
    const status = await run("show replication status of lab reads");
    expect(status.steps.map((s) => [s.tool, s.ok])).toEqual([["lab_list", true], ["replication_check", true]]);
    expect(status.message).toMatch(/^Read lab reads with replication_check: OK/);
  });

  // replication_attach is destructive (a replica's own keys go), so the agent runs it only when confirmed (--yes).
  it("Set up Sentinel with 5 sentinels and 1 replica: lab_up, replication_attach, sentinel_monitor, verified", async () => {
    const r = await run("Set up Sentinel with 5 sentinels and 1 replica", { newLabName: () => "five", yes: true });
    expect(r.outcome).toBe("verified");
    expect(r.steps.map((s) => s.tool)).toEqual(["lab_up", "replication_attach", "sentinel_monitor", "sentinel_check"]);
    const asked = await run("are the sentinels in lab five ok?");
    expect(asked.steps.map((s) => [s.tool, s.ok])).toEqual([["lab_list", true], ["sentinel_check", true]]);
    expect(asked.message).toMatch(/^Read lab five with sentinel_check: OK: 5 sentinels watch mymaster/);
  });
});
