/**
 * The built-in planner: parses the request (src/agent/parse.ts) and plans the tool
 * calls for it without any network. Every call is fixed up front from the request, so
 * a dry run can show the whole sequence; a create that names a lab first reads whether
 * that lab runs (the lab store and one INFO per node; reads only), and "check" or
 * "info" without a named target reads lab_list to find the one lab there is. Families
 * whose tools the registry lacks get an honest "not supported yet".
 */
import { randomBytes } from "node:crypto";
import type { AnyTool } from "../registry/tool.js";
import { describe } from "./cluster-layout.js";
import { readExistingLab } from "./existing-lab.js";
import { FAMILIES, missingTools, notSupportedMessage } from "./families.js";
import type { Intent, ParseResult, Where } from "./intent.js";
import { parseRequest } from "./parse.js";
import { extractWhere } from "./where.js";
import type { CallOutcome, PlannedCall, Planner, PlannerTurn } from "./planner.js";

export interface BuiltinPlannerOptions {
  /** Registry to plan against (default: all tools). */
  tools: readonly AnyTool[];
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

const placeOf = (w: Where): string => (w.lab ? `lab ${w.lab}` : w.target ? `target ${w.target}` : w.nodes!.join(" "));

/** Parses the request; a create (or a refused layout) naming a running lab is parsed again with that lab's facts. */
async function understand(request: string): Promise<ParseResult> {
  const first = parseRequest(request);
  if (first.family !== "create_cluster" && first.family !== "refusal") return first;
  const found = extractWhere(request);
  const lab = "where" in found && found.where.lab ? await readExistingLab(found.where.lab) : undefined;
  return lab ? parseRequest(request, lab) : first;
}

function createSteps(intent: CreateIntent, labName: string, dryRun = false): { steps: Step[]; plan: string; done: string } {
  const created = dryRun ? "Would create" : "Created";
  const { layout } = intent;
  const shape = `${describe(layout.masters, layout.replicasPerMaster)} (${layout.nodes} nodes${layout.zones > 1 ? ` over ${layout.zones} zones` : ""})`;
  const create = { replicas: layout.replicasPerMaster, masters: layout.masters };
  if (intent.where.target || intent.where.nodes || intent.inExistingLab) {
    const where = placeOf(intent.where);
    return {
      steps: [{ tool: "cluster_create", args: { ...whereArgs(intent.where), ...create } }],
      plan: `Plan: cluster_create on ${where} with ${shape}; it verifies the cluster before it returns.`,
      done: `${created} a Redis Cluster ${intent.where.lab ? "in" : "on"} ${where}: ${shape}.`,
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

export function createBuiltinPlanner(request: string, opts: BuiltinPlannerOptions): Planner {
  let queue: Step[] | undefined;
  let doneText = "";
  let family: Intent["family"] | undefined;
  let seq = 0;
  const issue = (step: Step, text?: string): PlannerTurn => ({ kind: "calls", calls: [{ id: `step-${++seq}`, ...step }], text });

  /** A read of one cluster: cluster_check (a verification) or cluster_info. */
  function inspect(where: Where, plan?: string): PlannerTurn {
    const tool = family === "cluster_info" ? "cluster_info" : "cluster_check";
    const named = placeOf(where);
    doneText = tool === "cluster_check" ? `${opts.dryRun ? "Would check" : "Checked"} the cluster at ${named}.` : `Read the cluster at ${named}.`;
    return issue({ tool, args: whereArgs(where) }, plan ?? `Plan: ${tool} ${named}.`);
  }

  async function start(): Promise<PlannerTurn> {
    const intent = await understand(request);
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
    queue = [];
    if (intent.family === "check_cluster" || intent.family === "cluster_info") {
      if (Object.keys(intent.where).length) return inspect(intent.where);
      const tool = intent.family === "cluster_info" ? "cluster_info" : "cluster_check";
      return issue({ tool: "lab_list", args: {} }, `Plan: find the lab with lab_list, then ${tool} it.`);
    }
    if (intent.family === "lab_list") {
      doneText = "Listed the labs.";
      return issue({ tool: "lab_list", args: {} }, "Plan: lab_list.");
    }
    if (intent.family === "lab_down") {
      // Destructive: the loop asks for confirmation (or --yes) before lab_down runs.
      const lab = intent.where.lab!;
      doneText = `${opts.dryRun ? "Would stop" : "Stopped"} lab ${lab} and ${opts.dryRun ? "delete" : "deleted"} its data.`;
      return issue({ tool: "lab_down", args: { name: lab } }, `Plan: lab_down ${lab} (destructive: it needs your confirmation).`);
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
      if ((family === "check_cluster" || family === "cluster_info") && last?.call.tool === "lab_list") {
        const labs = labsIn(last);
        if (labs.length === 1) return inspect({ lab: labs[0] }, "");
        const text = labs.length
          ? `Several labs exist (${labs.join(", ")}); say which one, e.g. "${family === "cluster_info" ? "cluster info of" : "check the cluster in"} lab ${labs[0]}".`
          : "No lab is running and the request names no target or address; name one, or create a cluster first.";
        return { kind: "refuse", reason: "ambiguous", text };
      }
      const step = queue.shift();
      return step ? issue(step) : { kind: "done", text: doneText };
    },
  };
}
