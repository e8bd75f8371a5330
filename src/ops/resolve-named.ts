/**
 * Resolution for tools that name particular nodes (a master, replicas, sentinels) besides
 * or instead of a lab / target / node list: every named address goes through the
 * resolver, so credentials and the mutation policy apply to each, and an address that is
 * not part of the named lab or target is refused with one sentence before any connection.
 */
import { ValidationError } from "../errors.js";
import { formatAddress, parseAddress } from "../redis/address.js";
import type { ToolContext } from "../registry/tool.js";
import { argRef } from "../registry/words.js";
import type { ResolvedTarget, TargetRef } from "../targets/resolver.js";

export async function resolveNamed(ctx: Pick<ToolContext, "targets">, ref: TargetRef, named: string[], mutate: boolean): Promise<ResolvedTarget> {
  const spelled = named.map((a) => formatAddress(parseAddress(a)));
  const where = ref.lab ? { lab: ref.lab } : ref.target ? { target: ref.target } : { nodes: [...new Set([...(ref.nodes ?? []), ...spelled])] };
  const t = await ctx.targets.resolve(where, { mutate });
  for (const a of spelled) {
    try {
      t.access.grant(a);
    } catch {
      throw new ValidationError(`${a} is not one of the nodes of ${ref.lab ? `lab ${ref.lab}` : `target ${ref.target}`}.`, `Name a node of it (${t.addresses.join(", ")}), or pass the address alone without ${argRef("lab")}/${argRef("target")}.`);
    }
  }
  return t;
}
