/**
 * The build step the zoned cluster templates share (multi-dc, geo): cluster create over
 * every node of the lab with the lab's zones, so masters spread over the zones and each
 * replica lands outside its master's zone; the op verifies the cluster, and a replica
 * left in its master's zone fails the build here (the templates promise none).
 */
import { VerificationFailedError } from "../../errors.js";
import type { OpContext } from "../../ops/progress.js";
import { createCluster } from "../../ops/cluster-create/index.js";
import { formatAddress } from "../../redis/address.js";
import { uniformAccess } from "../../redis/node-access.js";
import type { LabState, LabTopology } from "../types.js";

export async function buildZonedCluster(template: string, state: LabState, ctx: OpContext, replicas: number): Promise<LabTopology> {
  const addresses = state.nodes.map((n) => formatAddress(n));
  const zones = Object.fromEntries(state.nodes.map((n) => [formatAddress(n), n.zone]));
  // The lab's own start-up: it owns every process it names, so one credential for all.
  const result = await createCluster({ addresses, replicas, access: uniformAccess({ password: state.password }, true), zones }, ctx);
  const sameZone = result.findings.filter((f) => f.code === "replica_same_zone");
  if (sameZone.length) throw new VerificationFailedError(`The ${template} cluster has a replica in its master's zone: ${sameZone[0].message}`, sameZone);
  const roles: Record<string, string> = {};
  for (const m of result.plan.masters) {
    roles[m.address] = "master";
    for (const r of m.replicas) roles[r] = "replica";
  }
  return { template, roles };
}
