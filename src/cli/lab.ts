/**
 * `redis-pilot lab up|status|down|ls`: each verb runs the matching lab tool through the
 * registry, so the CLI validates and confirms exactly like MCP and the agent do.
 */
import { InvalidArgumentError, type Command } from "commander";
import { ValidationError } from "../errors.js";
import { runToolCli, type CliRunOptions } from "./run-tool.js";

interface NodeLine {
  address: string;
  zone: string;
}

/** Fixed-width rows under a header, for terminal output. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [header, ...rows].map((r) => r.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

function renderUp(o: Record<string, unknown>): string {
  const nodes = o.nodes as NodeLine[];
  const head = o.dryRun
    ? `Would start lab ${o.name}: ${nodes.length} nodes (ports are chosen at start).`
    : `Lab ${o.name} is up: ${nodes.length} ${o.cluster ? "cluster-enabled " : ""}nodes in ${o.elapsedMs} ms, data in ${o.dir}.`;
  return `${head}\n${table(["ADDRESS", "ZONE"], nodes.map((n) => [n.address, n.zone]))}`;
}

function renderStatus(o: Record<string, unknown>): string {
  const nodes = o.nodes as Array<NodeLine & { running: boolean; role?: string; clusterEnabled?: boolean; keys?: number; error?: string }>;
  const rows = nodes.map((n) => [
    n.address,
    n.zone,
    n.running ? "running" : "down",
    n.role ?? "-",
    n.clusterEnabled === undefined ? "-" : n.clusterEnabled ? "yes" : "no",
    n.keys === undefined ? "-" : String(n.keys),
    n.error ?? "",
  ]);
  return `Lab ${o.name} (${o.backend}): ${o.running}/${nodes.length} nodes running.\n${table(["ADDRESS", "ZONE", "STATE", "ROLE", "CLUSTER", "KEYS", "ERROR"], rows)}`;
}

function renderList(o: Record<string, unknown>): string {
  const labs = o.labs as Array<{ name: string; backend: string; zones: number; cluster: boolean; createdAt: string; nodes: NodeLine[] }>;
  if (labs.length === 0) return "No labs. Start one with 'redis-pilot lab up'.";
  const rows = labs.map((l) => [l.name, String(l.nodes.length), String(l.zones), l.cluster ? "yes" : "no", l.backend, l.nodes.map((n) => `${n.address}(${n.zone})`).join(" ")]);
  return table(["NAME", "NODES", "ZONES", "CLUSTER", "BACKEND", "ADDRESSES"], rows);
}

function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError("expected a whole number.");
  return n;
}

/** The lab password from an environment variable: a password on argv would show in ps. */
function passwordFrom(envVar: string | undefined): string | undefined {
  if (envVar === undefined) return undefined;
  const value = process.env[envVar];
  if (!value) throw new ValidationError(`--password-env names ${envVar}, which is not set or empty.`, `Export ${envVar}=<password> first, or leave out --password-env.`);
  return value;
}

async function run(program: Command, tool: string, args: Record<string, unknown>, opts: CliRunOptions): Promise<void> {
  const config = program.opts().config as string | undefined;
  process.exitCode = await runToolCli(tool, args, { config, ...opts });
}

export function register(program: Command): void {
  const lab = program.command("lab").description("Local sandbox of Redis nodes on loopback: up, status, down, ls.");

  lab
    .command("up")
    .description("Start a lab of empty redis-server nodes, each on its own 127.0.ZONE.N address.")
    .option("--name <name>", "lab name", "demo")
    .option("--nodes <n>", "number of nodes", toInt, 6)
    .option("--zones <n>", "spread nodes over this many zones (loopback subnets)", toInt, 1)
    .option("--no-cluster", "start plain (non-cluster) nodes")
    .option("--node-timeout <ms>", "cluster-node-timeout in ms", toInt)
    .option("--password-env <var>", "set requirepass/masterauth on every node to the value of this environment variable")
    .option("--dry-run", "show what would start; start nothing")
    .option("--json", "print the structured result")
    .action(async (o) => {
      const password = passwordFrom(o.passwordEnv);
      const args = { name: o.name, nodes: o.nodes, zones: o.zones, cluster: o.cluster, nodeTimeoutMs: o.nodeTimeout, password, dryRun: o.dryRun };
      await run(program, "lab_up", args, { json: o.json, render: renderUp });
    });

  lab
    .command("status [name]")
    .description("Show each node of a lab: running, role, cluster mode, keys. Exit code 1 when a node is down.")
    .option("--json", "print the structured result")
    .action(async (name: string | undefined, o) => {
      await run(program, "lab_status", { name }, { json: o.json, render: renderStatus, exitCode: (out) => (out.running === (out.nodes as unknown[]).length ? 0 : 1) });
    });

  lab
    .command("down [name]")
    .description("Stop every node of a lab by pid and delete its data and state.")
    .option("--yes", "do not ask for confirmation")
    .option("--dry-run", "show what would be stopped; stop nothing")
    .option("--json", "print the structured result")
    .action(async (name: string | undefined, o) => {
      await run(program, "lab_down", { name, dryRun: o.dryRun }, { json: o.json, yes: o.yes });
    });

  lab
    .command("ls")
    .description("List labs on this machine.")
    .option("--json", "print the structured result")
    .action(async (o) => {
      await run(program, "lab_list", {}, { json: o.json, render: renderList });
    });
}
