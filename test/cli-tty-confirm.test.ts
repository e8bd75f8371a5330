/**
 * A destructive verb run on a terminal asks before it acts, and "no" changes nothing.
 * The terminal is a real pseudo-terminal: util-linux `script` runs the CLI on one, and
 * the test types the answer once the question shows.
 */
import { spawn, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { labStatus, labUp, loadLab } from "../src/lab/index.js";
import { formatAddress } from "../src/redis/address.js";
import { BIN } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";

const home = useTempLabHome();
const hasScript = spawnSync("script", ["--version"]).status === 0;

/** Runs `args` on a pseudo-terminal; types `answer` when the [y/N] question shows. */
function onTty(args: string[], answer: string): Promise<{ code: number | null; out: string; asked: boolean }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return new Promise((resolve) => {
    const child = spawn("script", ["-qec", [BIN, ...args].map(quote).join(" "), "/dev/null"], {
      env: { ...process.env, REDIS_PILOT_HOME: home, TERM: "dumb" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let asked = false;
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      if (!asked && /\[y\/N\]/.test(out)) {
        asked = true;
        child.stdin.write(`${answer}\r`);
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => {
      child.stdin.destroy();
      resolve({ code, out, asked });
    });
  });
}

describe.skipIf(!hasScript)("a destructive verb on a terminal", () => {
  it('asks with the plan; "no" changes nothing, "y" goes ahead', async () => {
    const lab = await labUp({ name: "tty", nodes: 2, cluster: false });
    const addresses = lab.nodes.map((n) => formatAddress(n));

    const no = await onTty(["lab", "down", "tty"], "n");
    expect(no.asked, no.out).toBe(true);
    expect(no.out).toMatch(/Would stop lab tty: 2 nodes \(.*\).*Proceed\? \[y\/N\]/);
    expect(no.out).toContain("Not confirmed: nothing was changed.");
    expect(no.out).not.toMatch(/^error:/m);
    expect(no.code).toBe(1);
    expect(await loadLab("tty")).toBeDefined();
    const after = await labStatus("tty");
    expect(after.nodes.map((n) => [n.address, n.running])).toEqual(addresses.map((a) => [a, true]));

    const yes = await onTty(["lab", "down", "tty"], "y");
    expect(yes.asked, yes.out).toBe(true);
    expect(yes.code, yes.out).toBe(0);
    expect(yes.out).toContain("Stopped lab tty: 2 nodes stopped.");
    expect(await loadLab("tty")).toBeUndefined();
  });
});
