/**
 * Runbooks: reviewed YAML files of tool calls with expectations, run unattended. This is
 * what front ends use (the `runbook` CLI verb, the runbook_run tool): read a file,
 * validate the whole of it (nothing runs if any step is wrong), execute, report.
 */
import { readFile } from "node:fs/promises";
import { PilotError } from "../errors.js";
import type { Problem } from "./types.js";
import { renderProblems, validateRunbook, type ValidateOptions } from "./validate.js";
import type { CompiledRunbook } from "./types.js";

export { executeRunbook, describeTarget, type ExecuteOptions, type RunEvent } from "./execute.js";
export { renderReport, renderSummary, REPORT_FORMATS, type ReportFormat } from "./reports.js";
export { renderProblems, validateRunbook } from "./validate.js";
export { parseVarArgs } from "./vars.js";
export type { CompiledRunbook, Problem, RunReport, StepReport } from "./types.js";

export class RunbookInvalidError extends PilotError {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    const n = problems.length;
    super(
      "runbook_invalid",
      `${file} has ${n} problem${n === 1 ? "" : "s"}, so nothing was run: ${renderProblems(problems.slice(0, 1), file)}${n > 1 ? ` (and ${n - 1} more)` : ""}.`,
      `Fix ${n === 1 ? "it" : "them"} (this error's details list every one) and run it again.`,
      problems,
    );
  }
}

export class RunbookNotFoundError extends PilotError {
  constructor(file: string, why: string) {
    super("runbook_not_found", `Cannot read runbook ${file}: ${why}.`, "Check the path; runbooks are YAML files (.yaml or .yml).");
  }
}

export async function readRunbookText(file: string): Promise<string> {
  if (!/\.ya?ml$/i.test(file)) throw new RunbookNotFoundError(file, "a runbook file ends in .yaml or .yml");
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RunbookNotFoundError(file, code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String(code ?? err));
  }
}

/** Reads and validates a runbook file; throws RunbookInvalidError listing every problem. */
export async function loadRunbook(file: string, opts: Omit<ValidateOptions, "file">): Promise<CompiledRunbook> {
  const text = await readRunbookText(file);
  const v = validateRunbook(text, { ...opts, file });
  if (!v.ok) throw new RunbookInvalidError(file, v.problems);
  return v.runbook;
}
