/**
 * One MCP server session: the registry's tools, the prompts from prompts/*.md, the
 * topology / node INFO resources, and completion of the labs, targets and nodes they name. Transports (stdio, HTTP) create one per session and
 * share the deps. Nothing here runs a tool itself; see tools.ts.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ServerDeps } from "./deps.js";
import { registerCompletions } from "./completions.js";
import { registerPrompts } from "./prompts.js";
import { registerResources } from "./resources.js";
import { taskServerOptions } from "./tasks.js";
import { registerTools } from "./tools.js";
import { guardRequestHandlers } from "./protocol-errors.js";

export const SERVER_NAME = "redis-pilot";
export const SERVER_VERSION = "0.1.0";

function instructions(deps: ServerDeps): string {
  const readOnly = deps.tools.every((t) => t.annotations.readOnlyHint);
  return [
    "redis-pilot operates Redis replication, Sentinel and Cluster.",
    "Name where a tool acts with exactly one of lab (a sandbox from lab_up), target (a server set from the config file) or nodes (HOST:PORT list).",
    "Labs can be changed freely; targets only when the config allows mutations; other servers are read-only.",
    "Mutating tools accept dryRun: show the plan first. Destructive tools ask the user to confirm.",
    "Resources: redis-pilot://lab/{name}/topology.json and .mmd (also target/{name}), redis-pilot://node/{address}/info.",
    ...(readOnly ? ["This session is read-only: only tools that change nothing are available."] : []),
  ].join(" ");
}

export function createMcpServer(deps: ServerDeps): McpServer {
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION }, { instructions: instructions(deps), ...taskServerOptions() });
  registerTools(server, deps);
  registerResources(server, deps);
  registerPrompts(server);
  registerCompletions(server, deps);
  guardRequestHandlers(server);
  return server;
}
