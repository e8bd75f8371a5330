/**
 * One lab node as a container: host networking, so it binds its own 127.0.Z.H address and
 * port as a local node would; its node dir bind-mounted at the same path, so the redis.conf
 * the local backend writes works unchanged; labels naming its lab. Found, stopped and
 * removed by id or label, never by name.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type Dockerode from "dockerode";
import { LabError, TimeoutError } from "../../errors.js";
import { parseInfo } from "../../redis/parse-info.js";
import { probeInfo } from "../node-probe.js";
import { confPath, logTail, prepareNodeDir, type PortSource, type StartNodeOptions } from "../node-process.js";
import { statusOf } from "./engine.js";

const POLL_MS = 10;
const PROBE_TIMEOUT_MS = 200;
const BIND_ATTEMPTS = 5;
export const READY_TIMEOUT_MS = 15_000;

export interface NodeContainerSpec {
  image: string;
  labels: Record<string, string>;
  /** Node dir on the host, mounted at the same path. */
  dir: string;
  /** Arguments after `redis-server`, e.g. [conf] or [conf, "--sentinel"]. */
  args: string[];
}

export async function createNodeContainer(docker: Dockerode, spec: NodeContainerSpec): Promise<Dockerode.Container> {
  return docker.createContainer({
    Image: spec.image,
    // Not the image's entrypoint: the official one chowns /data and drops to its own user.
    Entrypoint: ["redis-server"],
    Cmd: spec.args,
    Labels: spec.labels,
    // Files in the bind mount stay the invoking user's, so lab down can delete them.
    User: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
    WorkingDir: spec.dir,
    HostConfig: { NetworkMode: "host", Binds: [`${spec.dir}:${spec.dir}`], RestartPolicy: { Name: "no" } },
  });
}

type Outcome = { kind: "ready" } | { kind: "exited"; log: string } | { kind: "timeout" };

/** True when the INFO reply comes from the server started with this node's conf file. */
function isOurs(info: string, dir: string): boolean {
  try {
    return parseInfo(info).server?.values.config_file === confPath(dir);
  } catch {
    return false;
  }
}

/** Polls until the node answers INFO as itself, or its container has exited. */
export async function waitContainerReady(container: Dockerode.Container, host: string, port: number, dir: string, password: string | undefined, timeoutMs = READY_TIMEOUT_MS): Promise<Outcome> {
  const deadline = Date.now() + timeoutMs;
  for (let tries = 0; Date.now() < deadline; tries++) {
    const reply = await probeInfo(host, port, password, PROBE_TIMEOUT_MS);
    if (reply && "info" in reply && isOurs(reply.info, dir)) return { kind: "ready" };
    if (tries % 5 === 4) {
      const state = (await container.inspect()).State;
      if (!state.Running) return { kind: "exited", log: logTail(dir) };
    }
    await sleep(POLL_MS);
  }
  return { kind: "timeout" };
}

/** Removes containers by id (killing them first when running or paused); one already gone is fine. */
export async function removeContainers(docker: Dockerode, ids: readonly string[]): Promise<void> {
  const results = await Promise.allSettled(
    ids.map(async (id) => {
      try {
        await docker.getContainer(id).remove({ force: true, v: true });
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

export interface StartContainerOptions {
  image: string;
  labels: Record<string, string>;
  host: string;
  dir: string;
  port?: number;
  allocator: PortSource;
  conf: StartNodeOptions["conf"];
  /** Extra arguments after the conf file, e.g. ["--sentinel"]. */
  extraArgs?: string[];
  /** The config file for a port instead of a redis node's redis.conf (a sentinel's). */
  render?: (port: number) => string;
}

/** Creates, starts and waits for one node container; retries on another port when its port was taken. */
export async function startNodeContainer(docker: Dockerode, o: StartContainerOptions): Promise<{ port: number; containerId: string }> {
  for (let attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
    const port = attempt === 1 && o.port !== undefined ? o.port : await o.allocator.next(o.host);
    await prepareNodeDir(o.dir, o.host, port, o.conf, o.render);
    const container = await createNodeContainer(docker, { image: o.image, labels: o.labels, dir: o.dir, args: [confPath(o.dir), ...(o.extraArgs ?? [])] });
    await container.start();
    const outcome = await waitContainerReady(container, o.host, port, o.dir, o.conf.password);
    if (outcome.kind === "ready") return { port, containerId: container.id };
    await removeContainers(docker, [container.id]);
    if (outcome.kind === "timeout") throw new TimeoutError(`redis-server in container on ${o.host}:${port} answering`, READY_TIMEOUT_MS);
    if (/Address already in use/i.test(outcome.log)) continue;
    throw new LabError(
      `redis-server in its container on ${o.host}:${port} exited at start: ${outcome.log.replace(/\s*\n\s*/g, " | ") || "no log output"}.`,
      "Fix what redis-server's log names; with a registry image, check that it is a Redis 7+ server image.",
    );
  }
  throw new LabError(`Could not bind a free port on ${o.host} after ${BIND_ATTEMPTS} attempts.`, "Other processes are taking ports in this range; retry, or stop labs you no longer need.");
}
