/**
 * A one-shot INFO over a raw socket. Lab start-up polls every ~10 ms until each node
 * answers; a bare socket costs well under a millisecond per try, where a full client
 * would add reconnect machinery we do not want here. The reply carries process_id, which
 * proves the server on the port is the process we started and not someone else's.
 */
import { connect } from "node:net";

export type ProbeResult = { info: string } | { error: string };

const MAX_PROBE_BYTES = 1024 * 1024;

function encode(args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("");
}

/**
 * Reads `count` replies of the kinds AUTH and INFO give (+simple, -error, $bulk).
 * Returns undefined while the buffer is incomplete.
 */
export function readReplies(buf: Buffer, count: number): Array<{ ok: string } | { error: string }> | undefined {
  const replies: Array<{ ok: string } | { error: string }> = [];
  let at = 0;
  while (replies.length < count) {
    const eol = buf.indexOf("\r\n", at);
    if (eol < 0) return undefined;
    const kind = String.fromCharCode(buf[at]);
    const line = buf.toString("utf8", at + 1, eol);
    if (kind === "+" || kind === ":") {
      replies.push({ ok: line });
      at = eol + 2;
    } else if (kind === "-") {
      replies.push({ error: line });
      at = eol + 2;
    } else if (kind === "$") {
      const len = Number(line);
      if (len < 0) {
        replies.push({ ok: "" });
        at = eol + 2;
        continue;
      }
      if (buf.length < eol + 2 + len + 2) return undefined;
      replies.push({ ok: buf.toString("utf8", eol + 2, eol + 2 + len) });
      at = eol + 2 + len + 2;
    } else {
      return [...replies, { error: `unexpected reply type '${kind}'` }];
    }
  }
  return replies;
}

/** AUTH (when a password is given) then INFO; undefined when nothing answered in time. */
export function probeInfo(host: string, port: number, password: string | undefined, timeoutMs: number): Promise<ProbeResult | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    const count = password === undefined ? 1 : 2;
    const finish = (result: ProbeResult | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.once("error", () => finish(undefined));
    socket.once("close", () => finish(undefined));
    socket.once("connect", () => socket.write((password === undefined ? "" : encode(["AUTH", password])) + encode(["INFO"])));
    let size = 0;
    socket.on("data", (chunk) => {
      // INFO is a few KiB: whatever sends more on a lab port is not our node.
      if ((size += chunk.length) > MAX_PROBE_BYTES) return finish({ error: `more than ${MAX_PROBE_BYTES} bytes in reply` });
      chunks.push(chunk);
      const replies = readReplies(Buffer.concat(chunks), count);
      if (!replies) return;
      const failed = replies.find((r) => "error" in r);
      finish(failed && "error" in failed ? { error: failed.error } : { info: (replies[count - 1] as { ok: string }).ok });
    });
  });
}
