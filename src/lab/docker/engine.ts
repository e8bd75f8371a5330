/**
 * The Docker engine the docker lab talks to: DOCKER_HOST when set, else the default
 * socket (/var/run/docker.sock, or Docker Desktop's ~/.docker/run/docker.sock), exactly as
 * the docker CLI finds it. dockerode is loaded on first use: most runs never need it.
 */
import type Dockerode from "dockerode";
import { DockerUnavailableError, errorMessage } from "../../errors.js";
import { lazyRequire } from "../../lazy-require.js";

const PING_TIMEOUT_MS = 3000;

/** Where the engine is expected, for messages. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST || "the default socket (/var/run/docker.sock)";
}

function client(): Dockerode {
  const Docker = lazyRequire("dockerode") as typeof Dockerode;
  return new Docker();
}

/** A client to a running engine; throws DockerUnavailableError with what to do when none answers. */
export async function connectEngine(): Promise<Dockerode> {
  let docker: Dockerode;
  try {
    docker = client();
  } catch (err) {
    throw new DockerUnavailableError(engineAddress(), errorMessage(err));
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    const cause = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no socket there" : errorMessage(err);
    throw new DockerUnavailableError(engineAddress(), cause);
  } finally {
    clearTimeout(timer);
  }
  return docker;
}

/** The engine's HTTP status on a failed call (404 no such container, 304 already in that state, 409 conflict). */
export function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}
