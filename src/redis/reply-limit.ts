/**
 * What a reply may cost. The RESP parser buffers a reply until it is complete, so a
 * server announcing `$99999999999` and streaming bytes would grow this process without
 * end. Each connection counts the bytes received since its last complete reply; past the
 * per-reply limit, or when the connections of one operation (a NodePool, one tool call)
 * hold more than their shared budget, that connection is closed and its commands fail
 * with ReplyTooLargeError: one sentence, and the memory goes back.
 * The largest reply our commands read (CLUSTER NODES of a 1000-node cluster with
 * fragmented slots) is a few hundred KiB; the limits leave room for 10x that.
 */
import type { Redis } from "ioredis";
import { ReplyTooLargeError } from "../errors.js";

/** Per reply. */
export const MAX_REPLY_BYTES = 8 * 1024 * 1024;
/** All replies in flight on the connections of one operation together. */
export const MAX_INFLIGHT_BYTES = 64 * 1024 * 1024;

/** Bytes in flight on a group of connections (one per NodePool). */
export class ReplyBudget {
  inFlight = 0;
  constructor(readonly max = MAX_INFLIGHT_BYTES) {}
}

interface QueueView {
  commandQueue: { peekFront(): unknown; length: number };
  flushQueue(error: Error): void;
}

/**
 * Watches one client's socket (after ioredis's parser, which runs first: DataHandler
 * prepends its listener) and closes it when a reply outgrows the limits.
 */
export function limitReplies(client: Redis, address: string, maxReplyBytes = MAX_REPLY_BYTES, budget?: ReplyBudget): void {
  const q = client as unknown as QueueView;
  client.once("connect", () => {
    const stream = client.stream;
    let head: unknown;
    let bytes = 0;
    const release = () => {
      if (budget) budget.inFlight -= bytes;
      bytes = 0;
    };
    stream.on("data", (chunk: Buffer) => {
      const front = q.commandQueue.peekFront();
      // The reply at the front changed: what came before was parsed and handed over.
      if (front !== head) {
        head = front;
        release();
      }
      bytes += chunk.length;
      if (budget) budget.inFlight += chunk.length;
      const over = bytes > maxReplyBytes ? maxReplyBytes : budget && budget.inFlight > budget.max ? budget.max : undefined;
      if (over === undefined) return;
      const err = new ReplyTooLargeError(address, over, bytes > maxReplyBytes ? "one reply" : "the replies of this operation");
      release();
      q.flushQueue(err);
      stream.destroy();
      client.disconnect();
    });
    stream.once("close", release);
  });
}
