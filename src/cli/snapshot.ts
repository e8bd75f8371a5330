/**
 * Entry of the V8 startup snapshot (dist/bin/redis-pilot.blob) that bin/redis-pilot runs
 * for the `cluster` and `lab` verbs. scripts/bundle.mjs builds it with
 * `node --build-snapshot`: the modules those verbs need, ioredis included, are evaluated
 * at build time and the run starts with them already in the heap. Evaluating them takes
 * about 100 ms on a 2-core machine, and for `cluster create` that time comes before the
 * first ADDSLOTSRANGE, which starts each master's 0.5 s rejoin clock.
 *
 * Everything evaluated here runs once, at build time. So no module these verbs import may
 * read the environment, the clock, the terminal or the working directory at its top
 * level; they read them inside functions, at run time. ioredis's `debug` reads DEBUG
 * when it loads, hence the refresh below.
 */
import v8 from "node:v8";
import createDebug from "debug";
import { loadRedisClient } from "../redis/connection.js";
import * as cluster from "./cluster.js";
import * as lab from "./lab.js";
import { runCli } from "./main.js";

// The verbs bin/redis-pilot sends here; scripts/bundle.mjs writes the same list into the blob's .meta file.
const verbs = { cluster: async () => cluster, lab: async () => lab };

void (async () => {
  await loadRedisClient();
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    if (process.env.DEBUG) createDebug.enable(process.env.DEBUG);
    // Started as `node --snapshot-blob BLOB -- ARGS`: argv is [node, ...ARGS], with no script.
    void runCli([process.execPath, "redis-pilot", ...process.argv.slice(1)], verbs);
  });
})();
