/**
 * CLUSTER NODES: one line per node as the answering node sees it.
 *   <id> <ip:port@cport[,hostname[,aux=value...]]> <flags> <master|-> <ping-sent>
 *   <pong-recv> <config-epoch> <link-state> <slot|start-end|[slot->-id]|[slot-<-id]>...
 */
import type { ClusterNodeEntry, NodeFlag } from "../topology/types.js";
import { BadReplyError } from "./bad-reply.js";
import { isSlot, mergeRanges, type SlotRange } from "./slots.js";

const NODE_ID = /^[0-9a-f]{40}$/;
const KNOWN_FLAGS = new Set<string>(["myself", "master", "slave", "fail?", "fail", "handshake", "noaddr", "nofailover", "noflags"]);
const INTEGER = /^-?\d+$/;

class LineError extends Error {}

function fail(reason: string): never {
  throw new LineError(reason);
}

function int(text: string, what: string): number {
  if (!INTEGER.test(text)) fail(`${what} '${text}' is not an integer`);
  return Number(text);
}

function nodeId(text: string, what: string): string {
  if (!NODE_ID.test(text)) fail(`${what} '${text}' is not a 40-character node id`);
  return text;
}

function slot(text: string): number {
  const n = int(text, "slot");
  if (!isSlot(n)) fail(`slot ${n} is outside 0-16383`);
  return n;
}

/** "ip:port@cport[,hostname[,key=value...]]"; the ip may be empty (":0@0" for noaddr). */
function parseAddressField(text: string): Pick<ClusterNodeEntry, "host" | "port" | "busPort" | "hostname"> {
  const [hostPort, hostname] = text.split(",");
  const at = hostPort.lastIndexOf("@");
  const colon = hostPort.lastIndexOf(":", at < 0 ? undefined : at);
  if (at < 0 || colon < 0) fail(`address '${text}' is not ip:port@cport`);
  const host = hostPort.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  const port = int(hostPort.slice(colon + 1, at), "port");
  const busPort = int(hostPort.slice(at + 1), "bus port");
  if (port < 0 || port > 65535 || busPort < 0 || busPort > 65535) fail(`address '${text}' has a port outside 0-65535`);
  return { host, port, busPort, ...(hostname ? { hostname } : {}) };
}

function parseFlags(text: string): NodeFlag[] {
  const flags = text.split(",");
  for (const f of flags) if (!KNOWN_FLAGS.has(f)) fail(`unknown flag '${f}'`);
  return flags as NodeFlag[];
}

function parseSlotFields(fields: string[]): Pick<ClusterNodeEntry, "slots" | "migrating" | "importing"> {
  const slots: SlotRange[] = [];
  const migrating: ClusterNodeEntry["migrating"] = [];
  const importing: ClusterNodeEntry["importing"] = [];
  for (const f of fields) {
    const open = /^\[(\d+)-([<>])-([^\]]*)\]$/.exec(f);
    if (open) {
      const s = slot(open[1]);
      if (open[2] === ">") migrating.push({ slot: s, to: nodeId(open[3], "migration target") });
      else importing.push({ slot: s, from: nodeId(open[3], "import source") });
      continue;
    }
    const range = /^(\d+)(?:-(\d+))?$/.exec(f);
    if (!range) fail(`slot field '${f}' is not N, N-M, [N->-id] or [N-<-id]`);
    const start = slot(range[1]);
    const end = range[2] === undefined ? start : slot(range[2]);
    if (end < start) fail(`slot range '${f}' ends before it starts`);
    slots.push({ start, end });
  }
  return { slots: mergeRanges(slots), migrating, importing };
}

export function parseClusterNodesLine(line: string): ClusterNodeEntry {
  const fields = line.trim().split(/ +/);
  if (fields.length < 8) fail(`expected at least 8 fields, got ${fields.length}`);
  const [idText, addressText, flagsText, masterText, pingText, pongText, epochText, linkText, ...slotFields] = fields;
  const flags = parseFlags(flagsText);
  const role = flags.includes("slave") ? "replica" : "master";
  if (linkText !== "connected" && linkText !== "disconnected") fail(`link state '${linkText}' is not connected/disconnected`);
  const master = masterText === "-" ? undefined : nodeId(masterText, "master");
  // The role follows the flags; a master id on a line without "slave" is a leftover.
  const masterId = role === "replica" ? master : undefined;
  const slotInfo = parseSlotFields(slotFields);
  return {
    id: nodeId(idText, "node id"),
    ...parseAddressField(addressText),
    flags,
    role,
    ...(masterId ? { masterId } : {}),
    pingSent: int(pingText, "ping-sent"),
    pongReceived: int(pongText, "pong-recv"),
    configEpoch: int(epochText, "config epoch"),
    linkState: linkText,
    ...slotInfo,
  };
}

/** Parses the whole reply; a malformed line, or a reply without exactly one "myself" line, fails with a BadReplyError. */
export function parseClusterNodes(text: string): ClusterNodeEntry[] {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "");
  if (lines.length === 0) throw new BadReplyError("CLUSTER NODES", "empty reply");
  const entries = lines.map((line, i) => {
    try {
      return parseClusterNodesLine(line);
    } catch (e) {
      if (e instanceof LineError) throw new BadReplyError("CLUSTER NODES", `line ${i + 1}: ${e.message}`, line);
      throw e;
    }
  });
  // Every node lists itself exactly once; without that line we cannot tell whose view this is.
  const selves = entries.filter((e) => e.flags.includes("myself"));
  if (selves.length === 0) throw new BadReplyError("CLUSTER NODES", "no line carries the myself flag");
  if (selves.length > 1) throw new BadReplyError("CLUSTER NODES", `${selves.length} lines carry the myself flag`);
  const ids = new Set<string>();
  for (const e of entries) {
    if (ids.has(e.id)) throw new BadReplyError("CLUSTER NODES", `node id ${e.id} appears twice`);
    ids.add(e.id);
  }
  return entries;
}
