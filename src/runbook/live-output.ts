/**
 * Progress of a run on the terminal (stderr), as it happens: each step as it starts and
 * ends, its expectations, the tools' own progress lines, retries. Pure text from events.
 */
import { describeTarget, type RunEvent } from "./execute.js";
import { stepDetails, stepLine } from "./reports.js";

const secs = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

export function liveRunOutput(write: (text: string) => void): (e: RunEvent) => void {
  return (e) => {
    switch (e.type) {
      case "start": {
        const rb = e.runbook;
        write(`${e.dryRun ? "Dry run of runbook" : "Runbook"} '${rb.name}'${rb.file ? ` (${rb.file})` : ""}: ${rb.steps.length} step(s), ${rb.cleanup.length} cleanup step(s), target ${describeTarget(rb)}\n`);
        break;
      }
      case "step-start":
        write(`  ... ${e.step.label} ${e.step.tool.name}${e.attempt > 1 ? ` (try ${e.attempt} of ${e.step.attempts})` : ""}\n`);
        break;
      case "progress":
        write(`        ${e.event.elapsedMs !== undefined ? `${secs(e.event.elapsedMs).padStart(7)} ` : ""}${e.event.step}: ${e.event.message}\n`);
        break;
      case "retry":
        write(`      try ${e.attempt} did not pass (${e.reason}); again in ${secs(e.delayMs)}\n`);
        break;
      case "step-end":
        write(`  ${stepLine(e.report)}\n${stepDetails(e.report).map((l) => `    ${l}\n`).join("")}`);
        break;
    }
  };
}
