/**
 * invokeTool with a step's timeout and the run's cancel signal. Tools stop when their
 * ctx.signal aborts (ops check it between bounded steps); a tool that still has not
 * returned GRACE_MS after that is left behind and reported, so the run (and its cleanup)
 * is never held hostage by a hung call.
 */
import { invokeTool, type InvokeResult } from "../registry/invoke.js";
import type { AnyTool, ToolContext } from "../registry/tool.js";
import { log } from "../log.js";

export const GRACE_MS = 10_000;

export interface BoundedCall {
  tool: AnyTool;
  args: Record<string, unknown>;
  ctx: Omit<ToolContext, "signal">;
  signal: AbortSignal;
  timeoutMs?: number;
}

const errorResult = (code: string, message: string, next: string, started: number): InvokeResult => ({
  ok: false,
  error: { code, message, next },
  summary: `${message} ${next}`,
  durationMs: Date.now() - started,
});

export async function invokeBounded(call: BoundedCall): Promise<InvokeResult> {
  const started = Date.now();
  const ac = new AbortController();
  let timedOut = false;
  const onAbort = () => ac.abort();
  if (call.signal.aborted) ac.abort();
  else call.signal.addEventListener("abort", onAbort, { once: true });
  const timer = call.timeoutMs !== undefined ? setTimeout(() => ((timedOut = true), ac.abort()), call.timeoutMs) : undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const abandoned = new Promise<"abandoned">((resolve) => {
    const start = () => (graceTimer = setTimeout(() => resolve("abandoned"), GRACE_MS));
    if (ac.signal.aborted) start();
    else ac.signal.addEventListener("abort", start, { once: true });
  });
  try {
    const running = invokeTool(call.tool, call.args, { ctx: { ...call.ctx, signal: ac.signal } });
    const r = await Promise.race([running, abandoned]);
    const timeoutText = `${call.tool.name} did not finish within ${call.timeoutMs} ms`;
    if (r === "abandoned") {
      log.warn({ tool: call.tool.name }, "tool did not stop after cancel; left running");
      return errorResult(
        timedOut ? "timeout" : "cancelled",
        `${timedOut ? timeoutText : `${call.tool.name} was cancelled`} and did not stop within ${GRACE_MS / 1000} s after being told to.`,
        "Check the servers (e.g. cluster_check) before running again.",
        started,
      );
    }
    if (timedOut && !r.ok) return errorResult("timeout", `${timeoutText} (the step's timeout).`, "Raise the step's timeout if the servers are slow, or check them.", started);
    return r;
  } finally {
    clearTimeout(timer);
    clearTimeout(graceTimer);
    call.signal.removeEventListener("abort", onAbort);
  }
}
