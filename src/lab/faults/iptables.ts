/**
 * The lab's iptables chain: created on the first cut, rewritten on every change, removed
 * (jump rule, rules, chain) on heal and on lab down. Only the chain named after the lab
 * and the one jump rule into it are ever touched; any other rule is left as it is.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { LabError } from "../../errors.js";
import { searchPath } from "../redis-binary.js";
import { chainName, jumpSpec, parseOwnedJumps } from "./partition-rules.js";

const run = promisify(execFile);

/** iptables on PATH or in the sbin dirs a non-root PATH often lacks. */
export function findIptables(env: NodeJS.ProcessEnv = process.env): string {
  const found = searchPath("iptables", [env.PATH ?? "", "/usr/sbin", "/sbin"].join(":"));
  if (!found) throw new LabError("Partitions need iptables, which is not installed.", `Install it with: ${process.getuid?.() === 0 ? "" : "sudo "}apt-get install -y iptables (or run 'npm run setup').`);
  return found;
}

async function iptables(args: string[]): Promise<string> {
  try {
    // -w: wait for the xtables lock instead of failing while another process holds it.
    const { stdout } = await run(findIptables(), ["-w", ...args]);
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; code?: string | number; message: string };
    const said = (e.stderr ?? e.message).trim();
    if (/permission denied|must be root|Operation not permitted/i.test(said)) {
      throw new LabError("Partitions change iptables rules, which needs root (or CAP_NET_ADMIN).", "Run the command as root (sudo), or drill with kill/stop/pause faults instead.");
    }
    throw Object.assign(new Error(`iptables ${args.join(" ")}: ${said}`), { stderr: said });
  }
}

const missing = (err: unknown) => /No chain|does not exist|Bad rule|No such file/i.test((err as { stderr?: string }).stderr ?? "");

/** Replaces the lab's chain with `rules` (argument lists from chainRules) and makes sure INPUT jumps to it. */
export async function writeChain(labKey: string, rules: string[][]): Promise<void> {
  const chain = chainName(labKey);
  try {
    await iptables(["-N", chain]);
  } catch (err) {
    if (!/already exists/i.test((err as { stderr?: string }).stderr ?? "")) throw err;
    await iptables(["-F", chain]);
  }
  for (const rule of rules) await iptables(rule);
  const jump = jumpSpec(chain, labKey);
  try {
    await iptables(["-C", "INPUT", ...jump]);
  } catch {
    await iptables(["-I", "INPUT", "1", ...jump]);
  }
}

/** Removes the jump rule, the rules and the chain; a part already gone is fine. True when anything was there. */
export async function removeChain(labKey: string): Promise<boolean> {
  const chain = chainName(labKey);
  let found = false;
  for (const step of [["-D", "INPUT", ...jumpSpec(chain, labKey)], ["-F", chain], ["-X", chain]]) {
    try {
      await iptables(step);
      found = true;
    } catch (err) {
      if (!missing(err)) throw err;
    }
  }
  return found;
}

/**
 * Throws the LabError a partition would meet (iptables missing, or no right to use it)
 * without changing any rule: callers that cut later check first, before starting anything.
 */
export async function checkIptablesAccess(): Promise<void> {
  await iptables(["-S", "INPUT"]);
}

/** True when iptables is installed (so a chain could exist); cheap, no subprocess. */
export function iptablesInstalled(): boolean {
  try {
    findIptables();
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes chains a crashed run left: a jump of ours whose lab state dir is gone. Returns
 * the chains removed. Labs whose state dir still exists are left alone.
 */
export async function sweepOrphanChains(): Promise<string[]> {
  const removed: string[] = [];
  for (const jump of parseOwnedJumps(await iptables(["-S", "INPUT"]))) {
    // The key is the lab's state dir: gone means its lab was downed or its home deleted.
    if (existsSync(jump.labKey)) continue;
    await removeChain(jump.labKey);
    removed.push(jump.chain);
  }
  return removed;
}
