/**
 * Where a sentinel tool acts: a lab's sentinels (from its state), or the sentinels a target
 * or a node list names. Every address goes through the resolver (credentials, policy).
 */
import { LabNotFoundError, ValidationError } from "../../errors.js";
import { loadLab } from "../../lab/index.js";
import type { LabState } from "../../lab/types.js";
import { formatAddress } from "../../redis/address.js";
import type { ToolContext } from "../../registry/tool.js";
import type { ResolvedTarget, TargetRef } from "../../targets/resolver.js";
import { argRef, callRef, toolRef } from "../../registry/words.js";

export async function resolveSentinels(ctx: Pick<ToolContext, "targets">, ref: TargetRef, mutate: boolean): Promise<{ t: ResolvedTarget; sentinels: string[]; lab?: LabState }> {
  if (ref.lab) {
    const lab = await loadLab(ref.lab);
    if (!lab) throw new LabNotFoundError(ref.lab);
    const sentinels = (lab.sentinels ?? []).map((s) => formatAddress(s));
    if (sentinels.length === 0) throw new ValidationError(`Lab ${lab.name} runs no sentinels.`, `Start one that does: ${callRef("lab_up", { template: "active-passive" })} (or with ${argRef("sentinels", "3", "lab_up")}).`);
    return { t: await ctx.targets.resolve({ nodes: sentinels }, { mutate }), sentinels, lab };
  }
  const t = await ctx.targets.resolve(ref, { mutate });
  return { t, sentinels: t.addresses };
}

/** The master name to use: the one given, else the lab's, else the only one the sentinels monitor. */
export function chooseName(given: string | undefined, lab: LabState | undefined, monitored: string[]): string {
  if (given) return given;
  if (lab?.topology?.sentinelMaster) return lab.topology.sentinelMaster;
  if (monitored.length === 1) return monitored[0];
  throw new ValidationError(monitored.length ? `The sentinels monitor several masters (${monitored.join(", ")}).` : "The sentinels monitor no master.", monitored.length ? `Name the one you mean with ${argRef("name")}.` : `Add one with ${toolRef("sentinel_monitor")}.`);
}
