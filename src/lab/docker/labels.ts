/**
 * Labels on every lab container, as testcontainers does it: they name the owner, and
 * cleanup finds containers by label, never by name. The lab key is the lab's state dir
 * (unique per lab home and name); a container whose key dir no longer exists on the
 * host that made it belongs to a lab that is gone, and the next run removes it.
 */
export const LABEL_LAB = "redis-pilot.lab";
export const LABEL_KEY = "redis-pilot.lab-key";
export const LABEL_HOST = "redis-pilot.host";
export const LABEL_NODE = "redis-pilot.node";
export const LABEL_ROLE = "redis-pilot.role";

export type ContainerRole = "redis" | "sentinel";

export interface LabelContext {
  lab: string;
  /** The lab's state dir. */
  key: string;
  /** This machine's hostname: only its own leftovers are judged by its file system. */
  hostname: string;
}

export function nodeLabels(ctx: LabelContext, index: number, role: ContainerRole): Record<string, string> {
  return { [LABEL_LAB]: ctx.lab, [LABEL_KEY]: ctx.key, [LABEL_HOST]: ctx.hostname, [LABEL_NODE]: String(index), [LABEL_ROLE]: role };
}

/** Engine list filter: every container of one lab. */
export function labFilter(key: string): { label: string[] } {
  return { label: [`${LABEL_KEY}=${key}`] };
}

/** Engine list filter: every lab container made on this host. */
export function hostFilter(hostname: string): { label: string[] } {
  return { label: [`${LABEL_HOST}=${hostname}`] };
}

export interface LabeledContainer {
  Id: string;
  Labels?: Record<string, string>;
}

/** Ids of containers made on this host whose lab state dir is gone. */
export function orphanIds(containers: readonly LabeledContainer[], hostname: string, exists: (path: string) => boolean): string[] {
  return containers
    .filter((c) => {
      const labels = c.Labels ?? {};
      const key = labels[LABEL_KEY];
      return labels[LABEL_HOST] === hostname && key !== undefined && key.startsWith("/") && !exists(key);
    })
    .map((c) => c.Id);
}
