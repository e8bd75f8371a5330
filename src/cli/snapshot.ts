/**
 * Entry of the V8 startup snapshot (dist/bin/redis-pilot.blob) that bin/redis-pilot runs
 * for the `cluster` and `lab` verbs. scripts/bundle.mjs builds it with
 * `node --build-snapshot`: the modules those verbs need, ioredis included, are evaluated
 * at build time, and the run starts with them already in the heap. For `cluster create`
 * that start-up comes before the first ADDSLOTSRANGE, which starts each master's 0.5 s
 * rejoin clock, so it decides when the cluster is ready.
 *
 * Before the snapshot is taken, warmUp() runs the verbs once for real. V8 keeps the
 * bytecode of every function that ran, so a run does not compile them again.
 *
 * Everything evaluated here runs at build time. So no module these verbs import may
 * read the environment, the clock, the terminal or the working directory at its top
 * level; they read them inside functions, at run time. ioredis's `debug` reads DEBUG
 * when it loads, hence the refresh below.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v8 from "node:v8";
import createDebug from "debug";
import { errorMessage } from "../errors.js";
import { loadLab } from "../lab/index.js";
import { findRedisServer } from "../lab/redis-binary.js";
import { loadRedisClient } from "../redis/connection.js";
import { newProgram, runCli, runProgram } from "./main.js";
import * as tools from "./tools.js";

// bin/redis-pilot sends the `cluster` and `lab` verbs here (scripts/bundle.mjs writes the list into the blob's .meta file).
const cli = (...args: string[]) => runCli([process.execPath, "redis-pilot", ...args], {}, async () => tools);
/** One warm-up command; runCli reports a failure through the exit code, which this turns into an error. */
async function step(...args: string[]): Promise<void> {
  await cli(...args);
  if (process.exitCode) throw new Error(`'redis-pilot ${args.slice(0, 2).join(" ")}' exited with ${process.exitCode}`);
}

/**
 * One real round of the snapshot's verbs on a throwaway 6-node lab in a temporary
 * REDIS_PILOT_HOME: lab up, cluster create of bare HOST:PORT nodes (the operator's path),
 * check, info, lab status, lab down. Output goes to the build's stdout, which the build
 * discards. Without redis-server there is no warm-up; the snapshot only runs colder.
 */
async function warmUp(): Promise<void> {
  try {
    findRedisServer();
  } catch {
    process.stderr.write("note: no redis-server, so the startup snapshot is not warmed up\n");
    return;
  }
  const saved = process.env.REDIS_PILOT_HOME;
  const home = mkdtempSync(join(tmpdir(), "redis-pilot-snapshot-"));
  process.env.REDIS_PILOT_HOME = home;
  const name = "snapshot-warm-up";
  try {
    await step("lab", "up", "--name", name, "--nodes", "6", "--json");
    const state = await loadLab(name);
    if (!state) throw new Error("lab up did not start the lab");
    const nodes = state.nodes.map((n) => `${n.host}:${n.port}`);
    await step("cluster", "create", ...nodes, "--replicas", "1", "--yes", "--json");
    await step("cluster", "check", nodes[0], "--json");
    await step("cluster", "check", nodes[0]);
    await step("cluster", "info", nodes[0]);
    await step("lab", "status", name);
    await step("lab", "ls");
  } catch (err) {
    process.stderr.write(`note: the startup snapshot's warm-up failed (${errorMessage(err)}); it only runs colder\n`);
  } finally {
    await cli("lab", "down", name, "--yes");
    rmSync(home, { recursive: true, force: true });
    if (saved === undefined) delete process.env.REDIS_PILOT_HOME;
    else process.env.REDIS_PILOT_HOME = saved;
    process.exitCode = undefined;
  }
}

void (async () => {
  await loadRedisClient();
  await warmUp();
  // The run's command tree, built now: a commander tree holds nothing of the process until it parses,
  // and its option defaults are constants (verbs read the environment in their actions).
  const program = newProgram();
  tools.register(program);
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    // DEBUG of this run, not of the build (an empty string turns every namespace off).
    createDebug.enable(process.env.DEBUG ?? "");
    // Started as `node --snapshot-blob BLOB -- ARGS`: argv is [node, ...ARGS], with no script.
    void runProgram(program, [process.execPath, "redis-pilot", ...process.argv.slice(1)]);
  });
})();
