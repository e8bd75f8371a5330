/**
 * Gives a test file its own lab home, so lab state never lands in ~/.redis-pilot and
 * parallel test files never see each other's labs.
 *
 *   import { useTempLabHome } from "./helpers/env.js";
 *   const home = useTempLabHome(); // top level of the test file, before any lab is used
 *
 * It sets REDIS_PILOT_HOME at once and registers an afterAll that downs every lab saved
 * under that home (each redis-server stopped by its own pid, data dir removed), then
 * deletes the home. vitest runs each file in its own worker, so the env change stays
 * inside the file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { labDown, listLabs } from "../../src/lab/index.js";

/** Downs every lab in the current REDIS_PILOT_HOME; throws the first failure after trying all. */
export async function downAllLabs(): Promise<void> {
  const results = await Promise.allSettled((await listLabs()).map((lab) => labDown(lab.name)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

export function useTempLabHome(): string {
  const home = mkdtempSync(join(tmpdir(), "redis-pilot-home-"));
  process.env.REDIS_PILOT_HOME = home;
  afterAll(async () => {
    await downAllLabs();
    rmSync(home, { recursive: true, force: true });
  });
  return home;
}
