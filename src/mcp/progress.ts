/**
 * Maps a tool's progress events to MCP `notifications/progress`. The spec requires
 * `progress` to grow with every notification for a token, while ops report steps that
 * may repeat a count (or carry none), so the mapping keeps the last value it sent.
 */
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { ProgressEvent, ProgressSink } from "../ops/progress.js";

export interface ProgressParams {
  progress: number;
  total?: number;
  message: string;
}

/** Next notification after `last`: the event's own count when it moved forward, else last + 1. */
export function progressParams(event: ProgressEvent, last: number): ProgressParams {
  const progress = event.progress !== undefined && event.progress > last ? event.progress : last + 1;
  const total = event.total !== undefined && event.total >= progress ? event.total : undefined;
  return { progress, ...(total !== undefined ? { total } : {}), message: `${event.step}: ${event.message}` };
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A sink for one request: silent unless the caller sent a progressToken. */
export function progressSink(extra: Extra): ProgressSink {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => {};
  let last = 0;
  return (event) => {
    const params = progressParams(event, last);
    last = params.progress;
    extra
      .sendNotification({ method: "notifications/progress", params: { progressToken: token, ...params } })
      // A client that went away must not fail the operation it started; its progress has no reader.
      .catch(() => undefined);
  };
}
