/**
 * A cluster's shape as a Mermaid flowchart: one box per node (masters with their slot
 * ranges), zones as subgraphs, an edge from each replica to its master, failed and
 * unreachable nodes styled apart. Pure: same shape in, same text out.
 */
import { formatSlots, type ShapeNode, type TopologyShape } from "./shape.js";

type NodeClass = "master" | "replica" | "down";

interface Box {
  id: string;
  node: ShapeNode;
  label: string;
  cls: NodeClass;
}

/** Text from servers or config goes inside a quoted label; keep it from closing the quote or adding markup. */
function escapeLabel(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

function healthSuffix(n: ShapeNode): string {
  return n.health === "ok" ? "" : `<br/>${n.health.toUpperCase()}`;
}

function boxes(shape: TopologyShape): { boxes: Box[]; edges: [string, string][] } {
  const out: Box[] = [];
  const edges: [string, string][] = [];
  /** `lines` are label lines; the first names the node, the rest add facts. */
  const add = (node: ShapeNode, cls: NodeClass, ...lines: string[]): string => {
    const id = `n${out.length + 1}`;
    const down = node.health === "fail" || node.health === "unreachable";
    out.push({ id, node, label: lines.map(escapeLabel).join("<br/>") + healthSuffix(node), cls: down ? "down" : cls });
    return id;
  };
  shape.shards.forEach((s, i) => {
    const m = add(s.master, "master", `M${i + 1} ${s.master.address}`, `slots ${formatSlots(s.slots)} (${s.slotCount})`);
    for (const r of s.replicas) edges.push([add(r, "replica", `replica ${r.address}`), m]);
  });
  for (const r of shape.orphanReplicas) add(r, "replica", `replica ${r.address}`, "master unknown");
  for (const u of shape.unreachable) add(u, "down", u.address);
  return { boxes: out, edges };
}

export function topologyMermaid(shape: TopologyShape): string {
  const { boxes: all, edges } = boxes(shape);
  const lines = ["flowchart TB"];
  const line = (b: Box, indent: string) => `${indent}${b.id}["${b.label}"]`;
  const zones = [...new Set(all.map((b) => b.node.zone).filter((z): z is string => z !== undefined))];
  zones.forEach((zone, i) => {
    lines.push(`  subgraph zone${i + 1}["zone ${escapeLabel(zone)}"]`);
    for (const b of all.filter((x) => x.node.zone === zone)) lines.push(line(b, "    "));
    lines.push("  end");
  });
  for (const b of all.filter((x) => x.node.zone === undefined)) lines.push(line(b, "  "));
  for (const [replica, master] of edges) lines.push(`  ${replica} -->|replica of| ${master}`);
  lines.push(
    "  classDef master fill:#dbeafe,stroke:#1d4ed8",
    "  classDef replica fill:#f1f5f9,stroke:#64748b",
    "  classDef down fill:#fee2e2,stroke:#b91c1c,stroke-dasharray:4",
  );
  for (const cls of ["master", "replica", "down"] as const) {
    const ids = all.filter((b) => b.cls === cls).map((b) => b.id);
    if (ids.length) lines.push(`  class ${ids.join(",")} ${cls}`);
  }
  return lines.join("\n") + "\n";
}
