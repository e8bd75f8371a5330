/**
 * Resources: the topology of each lab and config target, as JSON and as a Mermaid
 * diagram, and one node's INFO by address. Every read re-reads the servers; nothing
 * is cached. Reads go through the same resolver as tools (credentials from the lab or
 * the target), and only ever read.
 */
import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError, type ReadResourceResult, type Resource } from "@modelcontextprotocol/sdk/types.js";
import { quoted, renderError } from "../errors.js";
import type { PilotConfig } from "../targets/config.js";
import type { TargetRef } from "../targets/resolver.js";
import type { NodeView } from "../topology/types.js";
import type { ServerDeps } from "./deps.js";
import type { CompletionKind } from "./prompt-template.js";

type SourceKind = "lab" | "target";
type Format = "json" | "mmd";

const MIME: Record<Format, string> = { json: "application/json", mmd: "text/vnd.mermaid" };
const FORMAT_NAME: Record<Format, string> = { json: "JSON", mmd: "Mermaid" };

export const topologyUri = (kind: SourceKind, name: string, format: Format) => `redis-pilot://${kind}/${encodeURIComponent(name)}/topology.${format}`;
export const nodeInfoUri = (address: string) => `redis-pilot://node/${address}/info`;
const topologyTemplate = (kind: SourceKind, format: Format) => `redis-pilot://${kind}/{name}/topology.${format}`;
const NODE_INFO_TEMPLATE = "redis-pilot://node/{address}/info";

/** What each template variable names, for completion/complete (completions.ts). */
export const TEMPLATE_COMPLETIONS: Record<string, Record<string, CompletionKind>> = {
  ...Object.fromEntries(
    (["json", "mmd"] as const).flatMap((format) => [
      // Plain labs have no cluster topology, as resources/list shows.
      [topologyTemplate("lab", format), { name: "cluster_lab" }],
      [topologyTemplate("target", format), { name: "target" }],
    ]),
  ),
  [NODE_INFO_TEMPLATE]: { address: "node" },
};

/** Template variables arrive as matched from the URI, still percent-encoded. */
function variable(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? value[0] : (value ?? "");
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new McpError(ErrorCode.InvalidParams, `The resource URI has malformed percent-encoding in ${quoted(raw)}: write a '%' as %25.`);
  }
}

/** Failures a user can act on become one sentence + next step; the read itself fails. */
async function reading(uri: URL, read: () => Promise<ReadResourceResult>): Promise<ReadResourceResult> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof McpError) throw err;
    throw new McpError(ErrorCode.InternalError, `Reading ${quoted(uri.href, 200)} failed: ${renderError(err)}`);
  }
}

/**
 * The config's targets for listing, or none when the file is broken: resources/list
 * answers for every template at once, so a bad config file must not hide the labs.
 * Reading a target's resource still fails, with the config error as its sentence.
 */
async function listedTargets(deps: ServerDeps): Promise<PilotConfig["targets"]> {
  try {
    return (await deps.config()).targets;
  } catch (err) {
    process.stderr.write(`redis-pilot mcp: targets left out of resources/list: ${renderError(err)}\n`);
    return {};
  }
}

async function sourceNames(deps: ServerDeps, kind: SourceKind): Promise<string[]> {
  if (kind === "target") return Object.keys(await listedTargets(deps));
  const { listLabs } = await import("../lab/store.js");
  // Plain (non-cluster) labs have no cluster topology to show.
  return (await listLabs()).filter((l) => l.spec.cluster).map((l) => l.name);
}

/** Every lab node and every target seed, for clients that browse resources instead of filling templates. */
async function knownNodes(deps: ServerDeps): Promise<Resource[]> {
  const { listLabs } = await import("../lab/store.js");
  const { formatAddress } = await import("../redis/address.js");
  const labNodes = (await listLabs()).flatMap((l) => l.nodes.map((n) => ({ address: formatAddress(n), owner: `lab ${l.name}` })));
  const targetNodes = Object.entries(await listedTargets(deps)).flatMap(([name, t]) => t.nodes.map((address) => ({ address, owner: `target ${name}` })));
  return [...labNodes, ...targetNodes].map((n) => ({ uri: nodeInfoUri(n.address), name: `${n.address} INFO (${n.owner})`, mimeType: "text/plain" }));
}

async function readTopology(deps: ServerDeps, kind: SourceKind, name: string, format: Format, uri: URL): Promise<ReadResourceResult> {
  const ref: TargetRef = kind === "lab" ? { lab: name } : { target: name };
  const target = await deps.targets.resolve(ref, { mutate: false });
  const [{ readClusterView }, { topologyShape }, { topologyMermaid }] = await Promise.all([
    import("../topology/read-cluster-view.js"),
    import("../topology/shape.js"),
    import("../topology/mermaid.js"),
  ]);
  const view = await readClusterView(target.addresses, { access: target.access });
  const shape = topologyShape(view, target.zones);
  const text =
    format === "mmd"
      ? topologyMermaid(shape)
      : JSON.stringify({ source: { kind, name }, ...shape, nodes: view.nodes.map(nodeState) }, null, 2);
  return { contents: [{ uri: uri.href, mimeType: MIME[format], text }] };
}

/** Per-node facts the shape leaves out: what each node itself reports. */
function nodeState(n: NodeView) {
  const r = n.replication;
  return {
    address: n.address,
    id: n.self.id,
    role: n.self.role,
    clusterState: n.clusterState,
    configEpoch: n.self.configEpoch,
    currentEpoch: n.currentEpoch,
    keys: n.keys,
    replicationOffset: r.offset,
    ...(r.role === "replica" ? { masterLinkStatus: r.masterLinkStatus } : {}),
  };
}

async function readNodeInfo(deps: ServerDeps, address: string, uri: URL): Promise<ReadResourceResult> {
  const target = await deps.targets.resolve({ nodes: [address] }, { mutate: false });
  const { withNode } = await import("../redis/connection.js");
  const text = await withNode(target.addresses[0], target.access.connection(target.addresses[0]), (c) => c.info());
  return { contents: [{ uri: uri.href, mimeType: "text/plain", text }] };
}

function registerTopology(server: McpServer, deps: ServerDeps, kind: SourceKind, format: Format): void {
  const list = async (): Promise<{ resources: Resource[] }> => ({
    resources: (await sourceNames(deps, kind)).map((name) => ({
      uri: topologyUri(kind, name, format),
      name: `${kind} ${name} topology (${FORMAT_NAME[format]})`,
      mimeType: MIME[format],
    })),
  });
  server.registerResource(
    `${kind}-topology-${format}`,
    new ResourceTemplate(topologyTemplate(kind, format), { list }),
    {
      title: `${kind === "lab" ? "Lab" : "Target"} topology (${FORMAT_NAME[format]})`,
      description:
        format === "json"
          ? `Shards (master, slot ranges, replicas), zones, node health and per-node state of a ${kind}, read live.`
          : `A Mermaid flowchart of a ${kind}: masters with slot ranges, replicas pointing at their master, zones as subgraphs.`,
      mimeType: MIME[format],
    },
    (uri, vars) => reading(uri, () => readTopology(deps, kind, variable(vars.name), format, uri)),
  );
}

export function registerResources(server: McpServer, deps: ServerDeps): void {
  for (const kind of ["lab", "target"] as const) for (const format of ["json", "mmd"] as const) registerTopology(server, deps, kind, format);
  server.registerResource(
    "node-info",
    new ResourceTemplate(NODE_INFO_TEMPLATE, { list: async () => ({ resources: await knownNodes(deps) }) }),
    {
      title: "Node INFO",
      description: "The raw INFO reply of one node (HOST:PORT), with the credentials of the lab or target it belongs to.",
      mimeType: "text/plain",
    },
    (uri, vars) => reading(uri, () => readNodeInfo(deps, variable(vars.address), uri)),
  );
}
