/**
 * The built-in planner: reads the request (parse.ts), hands it to the family that
 * takes it (families/), and asks that family for each next call from the results so
 * far, without any network. It knows no tool by name: the family plans, says when it
 * is done, and names the call that verifies it, which the planner adds when no passing
 * verification came after the last change. A family that reads the named lab's facts
 * gets them first (the lab store and one INFO per node; reads only). Families whose
 * tools the registry lacks get an honest "not supported yet".
 */
import { randomBytes } from "node:crypto";
import { isMutating, type AnyTool } from "../registry/tool.js";
import { readExistingLab } from "./existing-lab.js";
import type { AnyFamily, BaseIntent, Next, PlanEnv } from "./families/family.js";
import { familyNamed, missingTools, notSupportedMessage, type FamilyName } from "./families/index.js";
import { matchFamily, parseReading, readRequest } from "./parse.js";
import type { ParseResult } from "./families/index.js";
import { Reading } from "./reading.js";
import type { CallOutcome, Planner, PlannerTurn } from "./planner.js";
import { readVerification } from "./verification.js";

export interface BuiltinPlannerOptions {
  /** Registry to plan against (default: all tools). */
  tools: readonly AnyTool[];
  /** Name for a lab the request did not name (default: "agent-" + 6 hex digits). */
  newLabName?: () => string;
  /** A dry run: the closing text says what would be done, not what was. */
  dryRun?: boolean;
}

const defaultLabName = (): string => `agent-${randomBytes(3).toString("hex")}`;

/** Reads the request; a family that reads the named lab gets its facts (when it exists) first. */
async function understand(request: string, tools: readonly AnyTool[]): Promise<ParseResult> {
  const first = readRequest(request, { tools });
  if (!(first instanceof Reading)) return first;
  const lab = first.where.lab && matchFamily(first)?.readsLab ? await readExistingLab(first.where.lab) : undefined;
  return parseReading(lab ? (readRequest(request, { lab, tools }) as Reading) : first);
}

/** Whether a change ran after the last passing verification by one of `by`. */
export function changedSinceVerified(history: readonly CallOutcome[], tools: readonly AnyTool[], by: readonly string[]): boolean {
  let changed = false;
  for (const o of history) {
    const tool = tools.find((t) => t.name === o.call.tool);
    if (!o.result?.ok || !tool) continue;
    if (by.includes(tool.name) && readVerification(o.result, false)?.ok) changed = false;
    else if (isMutating(tool) && o.result.output.dryRun !== true) changed = true;
  }
  return changed;
}

export function createBuiltinPlanner(request: string, opts: BuiltinPlannerOptions): Planner {
  const env: PlanEnv = { dryRun: opts.dryRun ?? false, newLab: (opts.newLabName ?? defaultLabName)(), tools: opts.tools };
  const history: CallOutcome[] = [];
  let family: AnyFamily | undefined;
  let intent: BaseIntent | undefined;
  /** Set once the verify call is issued: its text is the closing text. */
  let closing: string | undefined;
  let seq = 0;

  const call = (n: Extract<Next, { call: unknown }>, text?: string): PlannerTurn => ({ kind: "calls", calls: [{ id: `step-${++seq}`, ...n.call }], text });

  function turn(n: Next, first = false): PlannerTurn {
    if ("call" in n) {
      const assumed = first && intent!.assumed.length ? ` Assumed: ${intent!.assumed.join("; ")}.` : "";
      const text = `${n.text ?? ""}${assumed}`.trim();
      return call(n, text || n.text);
    }
    if ("refuse" in n) return { kind: "refuse", reason: n.reason, text: n.refuse };
    if ("stop" in n) return { kind: "stop", reason: n.reason, text: n.stop };
    const f = family!;
    if (!env.dryRun && f.verify) {
      const step = f.verify(intent!, history, env);
      if (changedSinceVerified(history, env.tools, f.verifiedBy ?? [step.tool])) {
        closing = n.done;
        return call({ call: step });
      }
    }
    return { kind: "done", text: n.done };
  }

  async function start(): Promise<PlannerTurn> {
    const understood = await understand(request, opts.tools);
    if (understood.family === "refusal") return { kind: "refuse", reason: understood.reason, text: `${understood.message} ${understood.suggestion}` };
    const name: FamilyName = understood.family;
    const missing = missingTools(name, opts.tools);
    if (missing.length) return { kind: "refuse", reason: "not_supported", text: notSupportedMessage(name, missing) };
    family = familyNamed(name)!;
    intent = understood;
    if (!family.plan) return { kind: "refuse", reason: "not_supported", text: `${family.doing} is not supported by the built-in planner yet; use the Claude planner (--planner claude).` };
    return turn(family.plan(intent, history, env), true);
  }

  return {
    name: "builtin",
    async next(outcomes) {
      if (!intent) return start();
      history.push(...outcomes);
      const last = outcomes[outcomes.length - 1];
      if (last?.result && !last.result.ok) {
        return { kind: "stop", reason: "step_failed", text: `${last.call.tool} failed: ${last.result.summary}` };
      }
      if (closing !== undefined) return { kind: "done", text: closing };
      return turn(family!.plan!(intent, history, env));
    },
  };
}
