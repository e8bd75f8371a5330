/**
 * The stdio channel with a size limit per message. The SDK buffers a line until its
 * newline (10 MiB at most, concatenating on every chunk) and, past that, ends the
 * session without a word. Here every line longer than the limit is skipped as it
 * streams (never buffered whole), answered with -32600 naming the limit (with the
 * request's id when the line shows one, so the caller's request fails instead of
 * hanging), and the session goes on.
 */
import { Transform, type Readable, type TransformCallback, type Writable } from "node:stream";

export const MAX_STDIO_MESSAGE_BYTES = 4 * 1024 * 1024;
const KEEP = 4096;

/** The JSON-RPC id of a message we only kept the start and end of: last key (the SDK's order) or first. */
export function idOf(head: string, tail: string): string | number | null {
  const last = /"id"\s*:\s*(\d+|"(?:[^"\\]|\\.){0,200}")\s*\}\s*$/.exec(tail);
  const first = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(\d+|"(?:[^"\\]|\\.){0,200}")/.exec(head);
  const raw = last?.[1] ?? first?.[1];
  return raw === undefined ? null : (JSON.parse(raw) as string | number);
}

export function limitedStdin(input: Readable, output: Writable, max = MAX_STDIO_MESSAGE_BYTES): Readable {
  let pending: Buffer[] = [];
  let size = 0;
  let skipping = false;
  let head = "";
  let tail: Buffer = Buffer.alloc(0);
  const refuse = () => {
    const id = idOf(head, tail.toString("utf8"));
    const message = `Message not read: it is over ${max} bytes (${Math.round(max / 1024 / 1024)} MiB), the most this server takes per message. Send a smaller request.`;
    output.write(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32600, message } }) + "\n");
    process.stderr.write(`redis-pilot mcp: refused a message over ${max} bytes${id === null ? "" : ` (id ${JSON.stringify(id)})`}\n`);
  };
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      let at = 0;
      while (at < chunk.length) {
        const nl = chunk.indexOf(10, at);
        const end = nl < 0 ? chunk.length : nl;
        const part = chunk.subarray(at, end);
        if (skipping) {
          tail = Buffer.concat([tail, part]).subarray(-KEEP);
        } else if (size + part.length > max) {
          // Over the limit: keep only the start and the end, for the id.
          head = Buffer.concat([...pending, part]).subarray(0, KEEP).toString("utf8");
          tail = part.subarray(-KEEP);
          pending = [];
          size = 0;
          skipping = true;
        } else {
          pending.push(part);
          size += part.length;
        }
        if (nl < 0) break;
        if (skipping) {
          refuse();
          skipping = false;
          tail = Buffer.alloc(0);
        } else {
          this.push(Buffer.concat([...pending, Buffer.from("\n")]));
          pending = [];
          size = 0;
        }
        at = nl + 1;
      }
      done();
    },
  });
  input.pipe(limiter);
  return limiter;
}
