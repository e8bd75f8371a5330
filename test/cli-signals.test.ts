/**
 * SIGTERM and SIGHUP stop the CLI as SIGINT does (`timeout`, CI runners and systemd send
 * SIGTERM; a closed terminal SIGHUP): `cluster create` stopped mid-build puts back the
 * settings it lowered and removes its journal; the agent removes the lab it started.
 * SIGKILL, which nothing can handle, is test/cluster-create-killed.test.ts.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { labUp, listLabs } from "../src/lab/index.js";
import { labStateDir } from "../src/lab/store.js";
import { formatAddress } from "../src/redis/address.js";
import { BIN } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";

const home = useTempLabHome();
const clients: Redis[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));

const ORIGINAL = ["cluster-node-timeout", "15000", "repl-diskless-sync-delay", "5", "cluster-replica-no-failover", "no"];

async function settings(address: string): Promise<string[]> {
  const [host, port] = address.split(":");
  const c = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 0 });
  clients.push(c);
  return (await c.call("CONFIG", "GET", "cluster-node-timeout", "repl-diskless-sync-delay", "cluster-replica-no-failover")) as string[];
}

const pairs = (flat: string[]) => Object.fromEntries(flat.flatMap((_, i) => (i % 2 ? [] : [[flat[i], flat[i + 1]]])));

/** Runs the CLI and sends `signal` as soon as `when` shows up on the stream it names; resolves with the exit and the output. */
function runAndSignal(args: string[], when: { stream: "stdout" | "stderr"; pattern: RegExp }, signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string; sent: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(BIN, args, { env: { ...process.env, REDIS_PILOT_HOME: home, ANTHROPIC_API_KEY: "" }, stdio: ["ignore", "pipe", "pipe"] });
    const out = { stdout: "", stderr: "", sent: false };
    for (const stream of ["stdout", "stderr"] as const) {
      child[stream].on("data", (chunk: Buffer) => {
        out[stream] += chunk.toString();
        if (!out.sent && stream === when.stream && when.pattern.test(out[stream])) {
          out.sent = true;
          child.kill(signal);
        }
      });
    }
    child.on("exit", (code) => resolve({ code, ...out }));
  });
}

describe("cluster create stopped by a signal", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)("%s mid-build: the lowered settings are put back, the journal is gone, exit %i", async (signal, exit) => {
    const lab = await labUp({ name: `sig-${signal.toLowerCase()}`, nodes: 6, nodeTimeoutMs: 15000 });
    const addresses = lab.nodes.map((n) => formatAddress(n));
    // The build settings are applied in the round that assigns the slots ("addslots").
    const r = await runAndSignal(["cluster", "create", ...addresses, "--replicas", "1", "--yes"], { stream: "stderr", pattern: /addslots/ }, signal);
    expect(r.sent, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(exit);
    expect(r.stderr).toContain(`redis-pilot: ${signal} received, stopping at the next safe point`);
    expect(r.stderr).toMatch(/restore +build settings restored to their original values/);
    expect(r.stderr).toContain("error: The operation was cancelled. Check the servers with 'redis-pilot cluster check' before retrying.");
    for (const a of addresses) expect(pairs(await settings(a)), a).toEqual(pairs(ORIGINAL));
    const journals = join(labStateDir(lab.name), "build-settings");
    expect(existsSync(journals) ? readdirSync(journals) : []).toEqual([]);
  });
});

describe("the agent stopped by SIGTERM", () => {
  it("removes the lab it started and exits 143", async () => {
    const r = await runAndSignal(["agent", "--planner", "builtin", "Create a 6-node Redis Cluster with 3 masters"], { stream: "stdout", pattern: /lab_up .*\[\d+\.\d\d s, ok\]/ }, "SIGTERM");
    expect(r.sent, r.stdout + r.stderr).toBe(true);
    expect(r.code, r.stdout + r.stderr).toBe(143);
    const lab = /lab_up name=(agent-[0-9a-f]{6})/.exec(r.stdout)?.[1];
    expect(lab).toBeDefined();
    expect((await listLabs()).map((l) => l.name)).not.toContain(lab);
    expect(r.stdout).toContain(`Removed lab ${lab}, which this run started`);
  });
});

describe("runbook run stopped by a signal", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)("%s mid-step: the step is cancelled (settings put back), cleanup runs, the report says so, exit %i", async (signal, exit) => {
    const lab = await labUp({ name: `rb-${signal.toLowerCase()}`, nodes: 6, nodeTimeoutMs: 15000 });
    const addresses = lab.nodes.map((n) => formatAddress(n));
    const file = join(home, `stop-${signal}.yaml`);
    writeFileSync(
      file,
      [
        "name: stopped mid-build",
        `target: { lab: ${lab.name} }`,
        "steps:",
        "  - { id: create, tool: cluster_create, with: { replicas: 1 } }",
        "  - { id: after, tool: cluster_check }",
        "cleanup:",
        "  - { id: look, tool: lab_status, with: { name: " + lab.name + " } }",
        "",
      ].join("\n"),
    );
    const report = join(home, `stop-${signal}.json`);
    const r = await runAndSignal(["runbook", "run", file, "--report", "json", report], { stream: "stderr", pattern: /addslots/ }, signal);
    expect(r.sent, r.stderr).toBe(true);
    expect(r.code, r.stdout + r.stderr).toBe(exit);
    expect(r.stderr).toContain(`redis-pilot: ${signal} received, stopping at the next safe point; the clean-up steps still run`);
    expect(r.stdout).toContain("Runbook 'stopped mid-build' was cancelled");
    expect(r.stdout).toContain(`First failure: the run was interrupted by ${signal}`);
    // The step in flight was cancelled, the next never ran, cleanup did.
    expect(r.stdout).toMatch(/create.*cluster_create/);
    expect(r.stdout).toMatch(/look.*lab_status/);
    const json = JSON.parse(readFileSync(report, "utf8")) as { status: string; failure: string; steps: { key: string; status: string }[] };
    expect(json).toMatchObject({ status: "cancelled", failure: `the run was interrupted by ${signal}` });
    expect(Object.fromEntries(json.steps.map((s) => [s.key, s.status]))).toMatchObject({ create: "error", after: "skipped", look: "passed" });
    for (const a of addresses) expect(pairs(await settings(a)), a).toEqual(pairs(ORIGINAL));
    const journals = join(labStateDir(lab.name), "build-settings");
    expect(existsSync(journals) ? readdirSync(journals) : []).toEqual([]);
  });
});
