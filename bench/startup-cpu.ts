/**
 * bench/startup-cpu: the CPU a verb spends before it opens its first connection, i.e. the
 * start-up that comes before `cluster create`'s first command. CPU time, not wall time:
 * a loaded machine inflates wall time many times more. Each run points the verb at ports
 * that hang up at once, so it starts, connects, fails and exits; a preload reads
 * process.cpuUsage() at the first socket connect (the same code runs for every launcher).
 * Launchers run interleaved, so a busy minute hits them alike.
 *
 *   redis-cli: the same verb's first connection, for scale (`redis-cli --cluster create`
 *   reads its arguments and connects; its CPU comes from /usr/bin/time, 10 ms resolution).
 *
 * Usage: npm run bench:startup -- [--runs 21] [--verb "cluster create"] [--compare BIN ...]
 *   --compare BIN: another build's launcher (e.g. a worktree of an older commit), repeatable.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { envVariants } from "./node-env.js";

const execFileP = promisify(execFile);
const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const RUNS = Number(arg("runs", "21"));
const VERB = arg("verb", "cluster create").split(" ");
const compare = argv.flatMap((a, i) => (a === "--compare" ? [argv[i + 1]] : []));
const BIN = join(new URL("../..", import.meta.url).pathname, "bin", "redis-pilot.cjs");

const dir = mkdtempSync(join(tmpdir(), "redis-pilot-startup-"));
const preload = join(dir, "first-connect.cjs");
writeFileSync(
  preload,
  `const net = require("node:net"); const connect = net.Socket.prototype.connect; let done = false;
net.Socket.prototype.connect = function (...a) {
  if (!done) { done = true; const u = process.cpuUsage(); process.stderr.write("FIRST-CONNECT " + ((u.user + u.system) / 1000).toFixed(2) + "\\n"); }
  return connect.apply(this, a);
};\n`,
);

// Six ports that accept and hang up: the verb connects, fails at once and exits.
const servers: Server[] = [];
for (let i = 0; i < 6; i++) {
  const s = createServer((c) => c.destroy());
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  servers.push(s);
}
const addresses = servers.map((s) => `127.0.0.1:${(s.address() as { port: number }).port}`);

function firstConnectCpu(bin: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...VERB, ...addresses, "--replicas", "1"], {
      env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --require ${preload}`.trim(), REDIS_PILOT_HOME: dir },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("close", () => {
      const m = /FIRST-CONNECT (\S+)/.exec(err);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`${bin} made no connection:\n${err}`));
    });
  });
}

async function redisCliCpu(): Promise<number | undefined> {
  try {
    const { stderr } = await execFileP("/usr/bin/time", ["-f", "CPU %U %S", "redis-cli", "--cluster", "create", ...addresses, "--cluster-replicas", "1", "--cluster-yes"]).catch((e) => e as { stderr: string });
    const m = /CPU (\S+) (\S+)/.exec(stderr);
    return m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { p25: q(0.25), median: q(0.5), p75: q(0.75) };
};

const rows: Array<{ label: string; run: () => Promise<number | undefined>; samples: number[] }> = [];
for (const [i, bin] of [BIN, ...compare].entries()) {
  for (const v of envVariants()) rows.push({ label: `${i === 0 ? "this build" : bin}${v.label}`, run: () => firstConnectCpu(bin, v.env), samples: [] });
}
rows.push({ label: "redis-cli (/usr/bin/time, 10 ms steps)", run: redisCliCpu, samples: [] });
// One unmeasured run each writes the launchers' code caches.
for (const r of rows) await r.run().catch(() => undefined);
for (let i = 0; i < RUNS; i++) {
  for (const r of rows) {
    const v = await r.run();
    if (v !== undefined) r.samples.push(v);
  }
}
console.log(`CPU before the first connection of '${VERB.join(" ")}', ms (${RUNS} runs each, interleaved)`);
console.log(`| launcher | p25 | median | p75 |\n| --- | --- | --- | --- |`);
for (const r of rows) {
  if (!r.samples.length) continue;
  const s = stats(r.samples);
  console.log(`| ${r.label} | ${s.p25.toFixed(1)} | ${s.median.toFixed(1)} | ${s.p75.toFixed(1)} |`);
}
for (const s of servers) s.close();
rmSync(dir, { recursive: true, force: true });
