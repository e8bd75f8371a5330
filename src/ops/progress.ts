/** Progress reported by long operations; front ends map it to MCP notifications, CLI lines or transcripts. */
export interface ProgressEvent {
  /** Step kind, e.g. "addslots", "meet", "replicate", "verify". */
  step: string;
  message: string;
  /** Steps done so far and the total, when known. */
  progress?: number;
  total?: number;
  /** Milliseconds since the operation started. */
  elapsedMs?: number;
}

export type ProgressSink = (event: ProgressEvent) => void;

export const noProgress: ProgressSink = () => {};

export interface OpContext {
  progress: ProgressSink;
  signal?: AbortSignal;
}
