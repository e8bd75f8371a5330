import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { dryRunField } from "../../src/registry/fields.js";
import { connectEngine, engineAddress } from "../../src/lab/docker/engine.js";
import { buildLocalImage, planImage, pullImage } from "../../src/lab/docker/image.js";

export const labImage = defineTool({
  name: "lab_image",
  title: "Build or pull the docker lab image",
  description:
    "Prepare the image docker labs run (lab_up with backend docker). Without an image name, build a small local " +
    "image (~17 MB, under a second) from this host's redis-server binary and the libraries ldd lists, with docker " +
    "import: no registry needed. With an image name (e.g. redis:7.2), pull it from its registry. An image already " +
    "in the engine is used as is unless force is set. Talks to the Docker engine (DOCKER_HOST or the default socket).",
  toolset: "lab",
  input: z.object({
    image: z.string().optional().describe("Registry image to pull, e.g. redis:7.2; default: build from this host's redis-server."),
    force: z.boolean().optional().describe("Build or pull again even if the image is present."),
    ...dryRunField,
  }),
  output: z.object({
    ref: z.string().describe("The image reference lab_up will run."),
    action: z.enum(["use", "build", "pull"]),
    dryRun: z.boolean(),
    engine: z.string(),
    sizeBytes: z.number().optional(),
    elapsedMs: z.number().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summarize: (o) => {
    const verb = { use: o.dryRun ? "Would use" : "Using", build: o.dryRun ? "Would build" : "Built", pull: o.dryRun ? "Would pull" : "Pulled" }[o.action];
    const size = o.sizeBytes !== undefined ? ` (${(o.sizeBytes / 1e6).toFixed(1)} MB)` : "";
    return `${verb} image ${o.ref}${size}${o.elapsedMs !== undefined && o.action !== "use" ? ` in ${o.elapsedMs} ms` : ""}.`;
  },
  cli: { args: ["image"] },
  async handler(input) {
    const docker = await connectEngine();
    const engine = engineAddress();
    if (input.dryRun) return { ...(await planImage(docker, input.image, input.force)), dryRun: true, engine };
    const done = input.image ? await pullImage(docker, input.image, input.force) : await buildLocalImage(docker, input.force);
    const action = ({ present: "use", built: "build", pulled: "pull" } as const)[done.source];
    return { ref: done.ref, action, dryRun: false, engine, sizeBytes: done.sizeBytes, elapsedMs: done.elapsedMs };
  },
});
