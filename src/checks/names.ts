/** How findings name nodes: an address with a short id, and lists cut to one line. */
import type { Member } from "../topology/members.js";

/** "127.0.0.1:7000 (eb3e3613)": an address with a short id, for messages. */
export function nameOf(members: Map<string, Member>, id: string): string {
  const m = members.get(id);
  return m ? `${m.address} (${id.slice(0, 8)})` : id.slice(0, 8);
}

/** "a, b, c and 4 more", so one finding stays one line. */
export function listNames(names: string[], max = 4): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}
