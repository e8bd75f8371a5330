import { z } from "zod";
import { clientSettings, ioredisCode, otherClients, type Deployment } from "../../src/drills/client-settings.js";
import { chooseName, resolveSentinels } from "../../src/ops/sentinel/resolve-sentinels.js";
import { UnknownMasterNameError } from "../../src/ops/sentinel/remonitor.js";
import { NodePool } from "../../src/redis/connection.js";
import { targetFields } from "../../src/registry/fields.js";
import { defineTool } from "../../src/registry/tool.js";
import { monitoredNames, readSentinelView } from "../../src/topology/sentinel-view.js";

export const sentinelClientSettings = defineTool({
  name: "sentinel_client_settings",
  title: "Client settings for a Sentinel deployment",
  description:
    "Prints the client settings an application should use against these sentinels: ioredis with sentinels and name, failoverDetector (reconnect on " +
    "+switch-master at once), the role check (ready check), reconnectOnError for READONLY (a master demoted under the client), retry and command " +
    "timeouts, and role 'slave' for replica reads; plus the equivalent for redis-py, Jedis and go-redis in a sentence each. The drills (drill_*) " +
    "use exactly these settings. Read-only: it reads the sentinels to confirm the master name.",
  toolset: "sentinel",
  input: z.object({
    ...targetFields,
    name: z.string().optional().describe("Master name (default: the lab's, or the only one the sentinels monitor)."),
    readReplicas: z.boolean().optional().describe("Settings for a client that reads from replicas (role: slave)."),
    failoverDetector: z.boolean().default(true).describe("Subscribe to +switch-master and reconnect at once on a failover."),
  }),
  output: z.object({
    name: z.string(),
    sentinels: z.array(z.string()),
    ioredis: z.string(),
    others: z.array(z.object({ client: z.string(), advice: z.string() })),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  summarize: (o) => `${o.ioredis}\n\n${o.others.map((c) => `${c.client}: ${c.advice}`).join("\n")}`,
  async handler({ lab, target, nodes, name, readReplicas, failoverDetector }, ctx) {
    const { t, sentinels, lab: state } = await resolveSentinels(ctx, { lab, target, nodes }, false);
    const pool = new NodePool(t.access);
    try {
      const known = monitoredNames(await readSentinelView(sentinels, { pool, discover: false }));
      const chosen = chooseName(name, state, known);
      if (!known.includes(chosen)) throw new UnknownMasterNameError(chosen, known);
      const deployment: Deployment = { kind: "sentinel", sentinels, name: chosen };
      const settings = clientSettings(deployment, { failoverDetector, role: readReplicas ? "slave" : "master" });
      return { name: chosen, sentinels, ioredis: ioredisCode(settings), others: otherClients(deployment) };
    } finally {
      await pool.close();
    }
  },
});
