/**
 * The built-in planner: parses the request (src/agent/parse.ts) and plans the tool
 * calls for it without any network. Every call is fixed up front from the request, so
 * a dry run can show the whole sequence; only "check" without a named target reads
 * lab_list to find the one lab there is. Families whose tools the registry lacks get
 * an honest "not supported yet".
 */
import { randomBytes } from "node:crypto";
import type { AnyTool } from "../../tools/tool.js";
import { describe } from "./cluster-layout.js";
import { FAMILIES, missingTools, notSupportedMessage } from "./families.js";
import type { Intent, Where } from "./intent.js";
import { parseRequest } from "./parse.js";
import type { CallOutcome, PlannedCall, Planner, PlannerTurn } from "./planner.js";

export interface BuiltinPlannerOptions {
  /** Registry to plan against (default: all tools). */
  tools?: AnyTool[];
  /** Name for a lab the request did not name (default: "agent-" + 6 hex digits). */
  newLabName?: () => string;
  /** A dry run: the closing text says what would be done, not what was. */
  dryRun?: boolean;
}

type Step = Omit<PlannedCall, "id">;
type CreateIntent = Extract<Intent, { family: "create_cluster" }>;

const defaultLabName = (): string => `agent-${randomBytes(3).toString("hex")}`;

const whereArgs = (w: Where): Record<string, unknown> =>
  w.lab ? { lab: w.lab } : w.target ? { target: w.target } : { nodes: w.nodes };

function createSteps(intent: CreateIntent, labName: string, dryRun = false): { steps: Step[]; plan: string; done: string } {
  const created = dryRun ? "Would create" : "Created";
  const { layout } = intent;
  const shape = `${describe(layout.masters, layout.replicasPerMaster)} (${layout.nodes} nodes${layout.zones > 1 ? ` over ${layout.zones} zones` : ""})`;
  const create = { replicas: layout.replicasPerMaster, masters: layout.masters };
  if (intent.where.target || intent.where.nodes) {
    const where = intent.where.target ? `target ${intent.where.target}` : intent.where.nodes!.join(" ");
    return {
      steps: [{ tool: "cluster_create", args: { ...whereArgs(intent.where), ...create } }],
      plan: `Plan: cluster_create on ${where} with ${shape}; it verifies the cluster before it returns.`,
      done: `${created} a Redis Cluster on ${where}: ${shape}.`,
    };
  }
  return {
    steps: [
      { tool: "lab_up", args: { name: labName, nodes: layout.nodes, cluster: true, zones: layout.zones } },
      { tool: "cluster_create", args: { lab: labName, ...create } },
    ],
    plan: `Plan: lab_up starts lab ${labName} with ${layout.nodes} empty nodes, then cluster_create makes ${shape} and verifies it before it returns.`,
    done: `${created} a Redis Cluster in lab ${labName}: ${shape}.`,
  };
}

function labsIn(o: CallOutcome | undefined): string[] {
  const labs = o?.result?.ok ? (o.result.output.labs as { name: string }[] | undefined) : undefined;
  return (labs ?? []).map((l) => l.name);
}

export function createBuiltinPlanner(request: string, opts: BuiltinPlannerOptions = {}): Planner {
  let queue: Step[] | undefined;
  let doneText = "";
  let family: Intent["family"] | undefined;
  let seq = 0;
  const issue = (step: Step, text?: string): PlannerTurn => ({ kind: "calls", calls: [{ id: `step-${++seq}`, ...step }], text });

  function check(where: Where, plan?: string): PlannerTurn {
    const named = where.lab ? `lab ${where.lab}` : where.target ? `target ${where.target}` : where.nodes!.join(" ");
    doneText = `${opts.dryRun ? "Would check" : "Checked"} the cluster at ${named}.`;
    return issue({ tool: "cluster_check", args: whereArgs(where) }, plan ?? `Plan: cluster_check ${named}.`);
  }

  function start(): PlannerTurn {
    const intent = parseRequest(request);
    if (intent.family === "refusal") return { kind: "refuse", reason: intent.reason, text: `${intent.message} ${intent.suggestion}` };
    family = intent.family;
    const missing = missingTools(intent.family, opts.tools);
    if (missing.length) return { kind: "refuse", reason: "not_supported", text: notSupportedMessage(intent.family, missing) };
    const assumed = intent.assumed.length ? ` Assumed: ${intent.assumed.join("; ")}.` : "";
    if (intent.family === "create_cluster") {
      const { steps, plan, done } = createSteps(intent, intent.where.lab ?? (opts.newLabName ?? defaultLabName)(), opts.dryRun);
      [queue, doneText] = [steps.slice(1), done];
      return issue(steps[0], plan + assumed);
    }
    if (intent.family === "check_cluster") {
      queue = [];
      if (Object.keys(intent.where).length) return check(intent.where);
      return issue({ tool: "lab_list", args: {} }, "Plan: find the lab with lab_list, then cluster_check it.");
    }
    return { kind: "refuse", reason: "not_supported", text: `${FAMILIES[intent.family].doing} is not supported by the built-in planner yet; use the Claude planner (--planner claude).` };
  }

  return {
    name: "builtin",
    async next(outcomes) {
      if (!queue) return start();
      const last = outcomes[outcomes.length - 1];
      if (last?.result && !last.result.ok) {
        return { kind: "stop", reason: "step_failed", text: `${last.call.tool} failed: ${last.result.summary}` };
      }
      if (family === "check_cluster" && last?.call.tool === "lab_list") {
        const labs = labsIn(last);
        if (labs.length === 1) return check({ lab: labs[0] }, "");
        const text = labs.length
          ? `Several labs exist (${labs.join(", ")}); say which one to check, e.g. "check the cluster in lab ${labs[0]}".`
          : "No lab is running and the request names no target or address; name one, or create a cluster first.";
        return { kind: "refuse", reason: "ambiguous", text };
      }
      const step = queue.shift();
      return step ? issue(step) : { kind: "done", text: doneText };
    },
  };
}
