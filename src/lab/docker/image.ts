/**
 * The image lab containers run. With no registry in reach, the lab makes its own: the
 * host's redis-server binary plus the libraries `ldd` lists, imported as a root file
 * system (`docker import`, ~17 MB). Where a registry is reachable, `redis:<version>` or any
 * image the user names is pulled instead. Either way the container runs `redis-server`.
 */
import { execFile } from "node:child_process";
import { readFile, realpath, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import type Dockerode from "dockerode";
import { LabError, errorMessage } from "../../errors.js";
import { argRef, callRef, toolRef } from "../../registry/words.js";
import { findRedisServer } from "../redis-binary.js";
import { statusOf } from "./engine.js";
import { parseLdd } from "./ldd.js";
import { tarArchive, type TarEntry } from "./tar.js";

const run = promisify(execFile);

export const LOCAL_IMAGE_REPO = "redis-pilot/redis-host";
/** Where the binary sits in the local image; PATH there makes `redis-server` resolve as in redis:<version>. */
const BIN_PATH = "usr/bin/redis-server";
const IMAGE_CHANGES = ["ENV PATH=/usr/local/bin:/usr/bin:/bin", 'CMD ["redis-server"]', "WORKDIR /data"];

export interface ImageInfo {
  ref: string;
  /** built: from the host binary just now; present: already in the engine; pulled: from a registry. */
  source: "built" | "present" | "pulled";
  sizeBytes?: number;
  elapsedMs: number;
}

/** `redis-server --version` -> version and build id ("Redis server v=7.0.15 ... build=ae4d7c971a948f0"). */
export function parseServerVersion(output: string): { version: string; build: string } {
  const version = /\bv=(\d+\.\d+\.\d+)/.exec(output)?.[1];
  if (!version) throw new LabError(`Cannot read a version from redis-server --version: '${output.trim()}'.`, "Point REDIS_SERVER at a real redis-server binary.");
  return { version, build: /\bbuild=([0-9a-f]+)/.exec(output)?.[1] ?? "0" };
}

/** One tag per host binary: its version and build id, so an upgraded binary gets a new image. */
export function localImageRef(v: { version: string; build: string }): string {
  return `${LOCAL_IMAGE_REPO}:${v.version}-${v.build.slice(0, 8)}`;
}

/** The root file system: every parent dir, the files, /tmp and /data. */
export function rootfsEntries(files: ReadonlyArray<{ path: string; data: Buffer; mode: number }>): TarEntry[] {
  const dirs = new Set<string>(["tmp", "data"]);
  for (const f of files) for (let d = dirname(f.path); d !== "." && d !== "/"; d = dirname(d)) dirs.add(d.replace(/^\/+/, ""));
  const dirEntries = [...dirs].sort().map((path): TarEntry => ({ path, type: "dir", mode: path === "tmp" ? 0o1777 : 0o755 }));
  return [...dirEntries, ...files.map((f): TarEntry => ({ path: f.path.replace(/^\/+/, ""), type: "file", mode: f.mode, data: f.data }))];
}

async function fileEntry(source: string, path: string): Promise<{ path: string; data: Buffer; mode: number }> {
  // ldd names symlinks (libc.so.6 -> libc-2.36.so): the image gets the file under the linked name.
  const real = await realpath(source);
  return { path, data: await readFile(real), mode: (await stat(real)).mode & 0o777 };
}

/** Follows an engine progress stream to its end; an {error} message in it fails the call. */
function follow(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, output: Array<{ error?: string }>) => {
      const failed = err?.message ?? output?.find((m) => m.error)?.error;
      if (failed) reject(new Error(failed));
      else resolve();
    });
  });
}

export async function imagePresent(docker: Dockerode, ref: string): Promise<number | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Size;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/** The local image's ref for this host's redis-server, without building it. */
export async function hostImageRef(): Promise<string> {
  const { stdout } = await run(findRedisServer(), ["--version"]);
  return localImageRef(parseServerVersion(stdout));
}

/** Builds (or finds) the local image from the host's redis-server and its libraries. */
export async function buildLocalImage(docker: Dockerode, force = false): Promise<ImageInfo> {
  const started = Date.now();
  if (process.platform !== "linux") {
    throw new LabError("The local image copies the host's redis-server, which only works on Linux.", `Name a registry image instead, e.g. ${argRef("image", "redis:7.2", "lab_up")}.`);
  }
  const bin = findRedisServer();
  const ref = await hostImageRef();
  const size = force ? undefined : await imagePresent(docker, ref);
  if (size !== undefined) return { ref, source: "present", sizeBytes: size, elapsedMs: Date.now() - started };
  const libs = parseLdd((await run("ldd", [bin])).stdout);
  const files = await Promise.all([fileEntry(bin, BIN_PATH), ...libs.map((lib) => fileEntry(lib, lib))]);
  const [repo, tag] = [ref.slice(0, ref.lastIndexOf(":")), ref.slice(ref.lastIndexOf(":") + 1)];
  try {
    const stream = await docker.importImage(Readable.from([tarArchive(rootfsEntries(files))]), { repo, tag, changes: IMAGE_CHANGES });
    await follow(docker, stream);
  } catch (err) {
    throw new LabError(`docker import of ${ref} failed: ${errorMessage(err)}.`, `Check that the engine runs Linux containers on this host (docker info), then retry ${toolRef("lab_image")}.`);
  }
  return { ref, source: "built", sizeBytes: await imagePresent(docker, ref), elapsedMs: Date.now() - started };
}

/** Uses a named image: present in the engine, else pulled from its registry. */
export async function pullImage(docker: Dockerode, ref: string, force = false): Promise<ImageInfo> {
  const started = Date.now();
  const size = force ? undefined : await imagePresent(docker, ref);
  if (size !== undefined) return { ref, source: "present", sizeBytes: size, elapsedMs: Date.now() - started };
  try {
    await follow(docker, await docker.pull(ref));
  } catch (err) {
    throw new LabError(
      `Could not pull ${ref}: ${errorMessage(err)}.`,
      `Without a registry, build the local image from this host's redis-server with ${toolRef("lab_image")} (no image named), then ${callRef("lab_up", { backend: "docker" })}.`,
    );
  }
  return { ref, source: "pulled", sizeBytes: await imagePresent(docker, ref), elapsedMs: Date.now() - started };
}

/**
 * The image `lab up --backend docker` runs: the one named, else the local image (built on
 * first use, ~0.25 s), else, on a host without redis-server, redis:7 from a registry.
 */
export async function ensureImage(docker: Dockerode, requested?: string): Promise<ImageInfo> {
  if (requested) return pullImage(docker, requested);
  return process.platform === "linux" && hasRedisServer() ? buildLocalImage(docker) : pullImage(docker, "redis:7");
}

function hasRedisServer(): boolean {
  try {
    findRedisServer();
    return true;
  } catch {
    return false;
  }
}

export interface ImagePlan {
  ref: string;
  /** What a run would do: use the image present, build the local one, or pull. */
  action: "use" | "build" | "pull";
}

/** What `lab image` would do, reading only. */
export async function planImage(docker: Dockerode, requested?: string, force = false): Promise<ImagePlan> {
  const ref = requested ?? (await hostImageRef());
  const present = !force && (await imagePresent(docker, ref)) !== undefined;
  return { ref, action: present ? "use" : requested ? "pull" : "build" };
}
