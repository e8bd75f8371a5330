#!/usr/bin/env node
// Installs what `npm start` and `npm test` need and is missing: node modules, then
// redis-server + redis-cli (Debian's redis-server/redis-tools via apt-get when root),
// then a Docker engine and iptables for the docker lab (docker.io, iptables).
// Plain Node, no dependencies: it runs before node_modules exists.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const say = (msg) => process.stderr.write(`setup: ${msg}\n`);

// Also the sbin dirs, which a non-root PATH often lacks (dockerd, iptables live there).
function onPath(cmd) {
  for (const dir of [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/sbin"]) {
    if (!dir) continue;
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

const isRoot = process.getuid?.() === 0;
let aptUpdated = false;
function aptInstall(packages) {
  if (!aptUpdated) run("apt-get", ["update", "-qq"]);
  aptUpdated = true;
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages]);
}

// 2. redis-server, redis-cli and redis-sentinel (the lab runs sentinels as
//    `redis-server --sentinel`, the same binary; the package gives operators the command).
const haveServer = process.env.REDIS_SERVER ? existsSync(process.env.REDIS_SERVER) : Boolean(onPath("redis-server"));
const haveCli = Boolean(onPath("redis-cli"));
const haveSentinel = process.env.REDIS_SERVER ? true : Boolean(onPath("redis-sentinel"));
if (!haveServer || !haveCli || !haveSentinel) {
  if (isRoot && onPath("apt-get")) {
    aptInstall(["redis-server", "redis-tools", "redis-sentinel"]);
  } else {
    const cmd = onPath("apt-get") ? "sudo apt-get install -y redis-server redis-tools redis-sentinel" : "install redis-server, redis-cli and redis-sentinel (Redis 7), then run this again";
    say(`redis-server/redis-cli/redis-sentinel not found. Run: ${cmd}`);
    // Without redis-sentinel the lab still runs sentinels through redis-server --sentinel.
    if (!haveServer || !haveCli) process.exit(1);
  }
}
// 3. The docker lab: an engine (the user's own, through DOCKER_HOST or the default socket,
// else Debian's docker.io, which the tests start without systemd) and iptables, which
// cuts zones apart. Optional: without them the docker tests skip and say why.
const userEngine = Boolean(process.env.DOCKER_HOST) || existsSync("/var/run/docker.sock");
const dockerMissing = [];
if (!userEngine && !onPath("dockerd")) dockerMissing.push("docker.io");
if (!onPath("iptables")) dockerMissing.push("iptables");
if (dockerMissing.length && process.env.REDIS_PILOT_SKIP_DOCKER_SETUP !== "1") {
  if (isRoot && onPath("apt-get")) {
    aptInstall(dockerMissing);
  } else {
    say(`the docker lab needs ${dockerMissing.join(" and ")}; install with: ${onPath("apt-get") ? "sudo " : ""}apt-get install -y ${dockerMissing.join(" ")} (docker tests skip until then)`);
  }
}
if (process.env.REDIS_PILOT_SETUP_VERBOSE) {
  say(execFileSync(onPath("redis-server") ?? process.env.REDIS_SERVER, ["--version"]).toString().trim());
}
