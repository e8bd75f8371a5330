/**
 * `redis-pilot cluster create|check|info`, named like redis-cli --cluster's verbs, with
 * redis-cli's credential options for bare HOST:PORT nodes (see credentials.ts).
 */
import type { Command } from "commander";
import { addCredentialOptions, connectionFromFlags, guardPasswordFlag, type CredentialFlags } from "./credentials.js";
import { runToolCli } from "./run-tool.js";

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`'${v}' is not a whole number`);
  return n;
};

/** HOST:PORT arguments, or --lab NAME / --target NAME instead. */
function targetArgs(nodes: string[], opts: { lab?: string; target?: string }): Record<string, unknown> {
  if (opts.lab) return { lab: opts.lab };
  if (opts.target) return { target: opts.target };
  return { nodes };
}

function connection(o: CredentialFlags) {
  guardPasswordFlag(o);
  return connectionFromFlags(o);
}

export function register(program: Command): void {
  const cluster = program.command("cluster").description("Redis Cluster: create, check, info");
  const global = () => program.opts<{ config?: string }>();

  const create = cluster
    .command("create")
    .description("create a cluster from empty cluster-enabled nodes; returns when verified")
    .argument("[nodes...]", "HOST:PORT of each node")
    .option("--lab <name>", "use the nodes of a lab")
    .option("--target <name>", "use a target from the config file")
    .option("--replicas <n>", "replicas per master", int, 1)
    .option("--masters <n>", "number of masters (default: nodes / (replicas + 1))", int)
    .option("--timeout <ms>", "give up after this long", int)
    .option("--dry-run", "run the read-only preflight, print the plan, change nothing")
    .option("--yes", "do not ask for confirmation")
    .option("--json", "print the structured result");
  addCredentialOptions(create).action(async (nodes: string[], o) => {
    process.exitCode = await runToolCli(
      "cluster_create",
      { ...targetArgs(nodes, o), replicas: o.replicas, masters: o.masters, timeoutMs: o.timeout, dryRun: o.dryRun },
      { json: o.json, yes: o.yes, config: global().config, connection: connection(o), exitCode: (out) => (out.applied && !out.ok ? 1 : 0) },
    );
  });

  const check = cluster
    .command("check")
    .description("check slots, agreement, open slots, failures, replication and placement")
    .argument("[nodes...]", "HOST:PORT of one or more nodes (peers are discovered)")
    .option("--lab <name>", "check a lab")
    .option("--target <name>", "check a target from the config file")
    .option("--replicas <n>", "wanted replicas per master", int)
    .option("--json", "print the structured result");
  addCredentialOptions(check).action(async (nodes: string[], o) => {
    process.exitCode = await runToolCli(
      "cluster_check",
      { ...targetArgs(nodes, o), replicasPerMaster: o.replicas },
      { json: o.json, config: global().config, connection: connection(o), exitCode: (out) => (out.ok ? 0 : 1) },
    );
  });

  const info = cluster
    .command("info")
    .description("per-node summary: role, slots, keys, replication")
    .argument("[nodes...]", "HOST:PORT of one or more nodes")
    .option("--lab <name>", "a lab")
    .option("--target <name>", "a target from the config file")
    .option("--json", "print the structured result");
  addCredentialOptions(info).action(async (nodes: string[], o) => {
    process.exitCode = await runToolCli("cluster_info", targetArgs(nodes, o), { json: o.json, config: global().config, connection: connection(o) });
  });
}
