#!/usr/bin/env node
// Installs what `npm start` and `npm test` need and is missing: node modules, then
// redis-server + redis-cli (Debian's redis-server/redis-tools via apt-get when root).
// Plain Node, no dependencies: it runs before node_modules exists.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const say = (msg) => process.stderr.write(`setup: ${msg}\n`);

function onPath(cmd) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return join(dir, cmd);
    } catch {}
  }
  return undefined;
}

function run(cmd, args) {
  say(`${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) {
    say(`'${cmd} ${args.join(" ")}' failed (exit ${r.status}).`);
    process.exit(1);
  }
}

// 1. Node modules: every dependency of package.json must be installed.
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
const missing = deps.filter((d) => !existsSync(join(root, "node_modules", d, "package.json")));
if (missing.length) {
  const lock = existsSync(join(root, "package-lock.json"));
  run("npm", [lock ? "ci" : "install", "--no-audit", "--no-fund", "--loglevel=error"]);
}

// 2. redis-server and redis-cli.
const haveServer = process.env.REDIS_SERVER ? existsSync(process.env.REDIS_SERVER) : Boolean(onPath("redis-server"));
const haveCli = Boolean(onPath("redis-cli"));
if (!haveServer || !haveCli) {
  const isRoot = process.getuid?.() === 0;
  if (isRoot && onPath("apt-get")) {
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "redis-server", "redis-tools"]);
  } else {
    const cmd = onPath("apt-get") ? "sudo apt-get install -y redis-server redis-tools" : "install redis-server and redis-cli (Redis 7), then run this again";
    say(`redis-server/redis-cli not found. Run: ${cmd}`);
    process.exit(1);
  }
}
if (process.env.REDIS_PILOT_SETUP_VERBOSE) {
  say(execFileSync(onPath("redis-server") ?? process.env.REDIS_SERVER, ["--version"]).toString().trim());
}
