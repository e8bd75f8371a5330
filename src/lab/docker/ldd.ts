/**
 * Reads `ldd` output: the shared libraries (and the dynamic loader) a binary needs, which
 * the local image copies next to redis-server. Pure; image.ts runs ldd.
 *
 *   libssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x00007f...)   a library
 *   /lib64/ld-linux-x86-64.so.2 (0x00007f...)                         the loader
 *   linux-vdso.so.1 (0x00007f...)                                     in the kernel: skip
 */
import { LabError } from "../../errors.js";
import { argRef } from "../../registry/words.js";

export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  const missing: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (!line || /^statically linked$/.test(line)) continue;
    const arrow = /^(\S+)\s+=>\s+(.*)$/.exec(line);
    if (arrow) {
      if (/^not found/.test(arrow[2])) missing.push(arrow[1]);
      else {
        const path = /^(\/\S+)/.exec(arrow[2])?.[1];
        if (path) paths.push(path);
      }
      continue;
    }
    const direct = /^(\/\S+)\s+\(0x[0-9a-f]+\)$/.exec(line);
    if (direct) paths.push(direct[1]);
  }
  if (missing.length) {
    throw new LabError(`redis-server needs libraries ldd cannot find: ${missing.join(", ")}.`, `Reinstall redis-server (apt-get install --reinstall redis-server), or name a registry image with ${argRef("image", "IMAGE", "lab_up")}.`);
  }
  return [...new Set(paths)];
}
