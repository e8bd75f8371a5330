/** `redis-pilot lab list` (alias `lab ls`) shows how many of each lab's processes are alive. */
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { labUp } from "../src/lab/index.js";
import { BIN } from "./helpers/cli.js";
import { useTempLabHome } from "./helpers/env.js";

const home = useTempLabHome();

function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...process.env, REDIS_PILOT_HOME: home }, timeout: 30_000 }, (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }));
  });
}

describe("lab list", () => {
  it("counts the live processes of each lab, and ls is the same verb", async () => {
    const lab = await labUp({ name: "alive", nodes: 3, cluster: false });
    const all = JSON.parse((await cli(["lab", "list", "--json"])).stdout) as { labs: { name: string; processes: number; alive?: number }[] };
    expect(all.labs).toEqual([expect.objectContaining({ name: "alive", processes: 3, alive: 3 })]);

    process.kill(lab.nodes[1].pid!, "SIGKILL");
    const after = JSON.parse((await cli(["lab", "ls", "--json"])).stdout) as { labs: { alive?: number }[] };
    expect(after.labs[0].alive).toBe(2);
    const human = await cli(["lab", "list"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^NAME +NODES +ZONES +CLUSTER +BACKEND +ALIVE +ADDRESSES$/m);
    expect(human.stdout).toMatch(/^alive +3 +1 +no +local +2\/3 \(see 'redis-pilot lab status'\) +127\.0\.1\.1:\d+\(z1\)/m);
  });
});
