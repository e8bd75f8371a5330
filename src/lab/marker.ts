/**
 * The marker file a backend writes into every data dir it creates: it names the lab and
 * the lab home. Lab down removes a dir only when its marker names that lab in this home,
 * whatever a state file says, so an edited or broken state can never point it at
 * another directory.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { labHome } from "./store.js";

export const MARKER_FILE = ".redis-pilot-lab";

export async function writeMarker(dir: string, lab: string): Promise<void> {
  await writeFile(join(dir, MARKER_FILE), JSON.stringify({ lab, home: labHome() }) + "\n", { mode: 0o600 });
}

/** True when dir holds a marker naming this lab in the current lab home. */
export async function isLabDir(dir: string, lab: string): Promise<boolean> {
  try {
    const m = JSON.parse(await readFile(join(dir, MARKER_FILE), "utf8")) as { lab?: unknown; home?: unknown };
    return m.lab === lab && m.home === labHome();
  } catch {
    return false;
  }
}
