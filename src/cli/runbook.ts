/**
 * `redis-pilot runbook run|validate|schema`: a hand-written front-end verb (runbooks are
 * not a tool call but a sequence of them). `run` validates the whole file, runs it with
 * progress on stderr, prints the summary on stdout, writes --report files, and exits 0
 * only when every expectation held (1 when one failed, 2 when the file is invalid and
 * nothing ran, 128 + n when signal n stopped it). SIGINT, SIGTERM or SIGHUP cancels the
 * step in flight and runs cleanup; a second one stops cleanup, a third exits at once.
 */
import { speakAll } from "../registry/words.js";
import { cliWords } from "./words.js";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Command } from "commander";
import { ValidationError } from "../errors.js";
import { allTools } from "../../tools/index.js";
import { loadConfig } from "../targets/config.js";
import { createResolver } from "../targets/resolver.js";
import { anywhere } from "../registry/files.js";
import {
  executeRunbook,
  parseVarArgs,
  readRunbookText,
  renderProblems,
  renderReport,
  renderSummary,
  REPORT_FORMATS,
  validateRunbook,
  type ReportFormat,
  type RunReport,
} from "../runbook/index.js";
import { runbookJsonSchemaText } from "../runbook/json-schema.js";
import { stepTitle } from "../runbook/reports.js";
import { invalidReport } from "../runbook/invalid-report.js";
import { liveRunOutput } from "../runbook/live-output.js";
import type { Problem } from "../runbook/types.js";
import { signalExitCode, untilStopped } from "./signals.js";

interface ReportTarget {
  format: ReportFormat;
  file: string;
}

/** `--report junit out.xml` (pairs), or `junit=out.xml` / `junit:out.xml`. */
export function parseReports(values: readonly string[]): ReportTarget[] {
  const out: ReportTarget[] = [];
  const isFormat = (v: string): v is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(v);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const joined = /^(json|junit|markdown)[=:](.+)$/.exec(v);
    if (joined) out.push({ format: joined[1] as ReportFormat, file: joined[2] });
    else if (isFormat(v) && values[i + 1] !== undefined && !isFormat(values[i + 1])) out.push({ format: v, file: values[++i] });
    else throw new ValidationError(`--report takes a format (${REPORT_FORMATS.join(", ")}) and a file; got '${v}'${values[i + 1] === undefined ? " with no file" : ""}.`, "Write it as --report junit report.xml (repeatable).");
  }
  return out;
}

const collect = (v: string, all: string[]) => [...all, v];

interface RunFlags {
  var: string[];
  dryRun?: boolean;
  report?: string[];
  lab?: string;
  target?: string;
  keep?: boolean;
  json?: boolean;
  quiet?: boolean;
}

async function writeReports(report: RunReport, targets: ReportTarget[]): Promise<void> {
  for (const t of targets) {
    await mkdir(dirname(t.file), { recursive: true });
    await writeFile(t.file, renderReport(report, t.format));
    process.stderr.write(`${t.format} report: ${t.file}\n`);
  }
}

function validationInput(file: string, text: string, flags: { var: string[]; lab?: string; target?: string }, configPath?: string) {
  const parsed = parseVarArgs(flags.var);
  const config = loadConfig(configPath);
  const checked = validateRunbook(text, { tools: allTools, vars: parsed.vars, file, config, target: { lab: flags.lab, target: flags.target } });
  // Problems name overrides in the front end's words (--var here, runbook_run's vars over MCP).
  const v = checked.ok ? checked : { ...checked, problems: speakAll(checked.problems, cliWords(allTools)) };
  const cliProblems: Problem[] = parsed.problems.map((p) => ({ line: 0, column: 0, message: p.message }));
  return { v, cliProblems, config };
}

/** The runbook file, also when `--report FORMAT FILE` came first and took it along (commander's variadic option). */
function runbookFile(file: string | undefined, flags: RunFlags): string {
  const values = flags.report ?? [];
  if (file === undefined && values.length % 2 === 1 && /\.ya?ml$/i.test(values[values.length - 1])) {
    flags.report = values.slice(0, -1);
    return values[values.length - 1];
  }
  if (file === undefined) throw new ValidationError("No runbook file given.", "Run: redis-pilot runbook run FILE.yaml [--report junit out.xml].");
  return file;
}

export async function runRunbookCli(given: string | undefined, flags: RunFlags, configPath?: string): Promise<number> {
  const file = runbookFile(given, flags);
  const reports = parseReports(flags.report ?? []);
  const text = await readRunbookText(file);
  const { v, cliProblems, config } = validationInput(file, text, flags, configPath);
  if (!v.ok || cliProblems.length) {
    const problems = [...cliProblems, ...(v.ok ? [] : v.problems)];
    process.stderr.write(`${renderProblems(problems, file)}\n${file}: ${problems.length} problem(s); nothing was run.\n`);
    await writeReports(invalidReport(file, problems), reports);
    return 2;
  }
  // SIGINT, SIGTERM and SIGHUP alike: the first cancels the step in flight and lets cleanup run, a second stops cleanup, a third exits.
  const cleanup = new AbortController();
  const { value: report, stoppedBy } = await untilStopped(
    (signal) =>
      executeRunbook(v.runbook, {
        tools: allTools,
        targets: createResolver({ config, allowAdhocMutations: true }),
        files: anywhere,
        signal,
        cleanupSignal: cleanup.signal,
        dryRun: flags.dryRun,
        keep: flags.keep,
        onEvent: flags.quiet ? undefined : liveRunOutput((t) => process.stderr.write(t)),
      }),
    { cleanup },
  );
  const told = stoppedBy && report.status === "cancelled" ? { ...report, failure: `the run was interrupted by ${stoppedBy}` } : report;
  process.stdout.write(flags.json ? JSON.stringify(told, null, 2) + "\n" : renderSummary(told) + "\n");
  await writeReports(told, reports);
  return stoppedBy ? signalExitCode(stoppedBy) : told.ok ? 0 : 1;
}

export async function validateRunbookCli(file: string, flags: { var: string[]; json?: boolean }, configPath?: string): Promise<number> {
  const text = await readRunbookText(file);
  const { v, cliProblems } = validationInput(file, text, flags, configPath);
  const problems = [...cliProblems, ...(v.ok ? [] : v.problems)];
  if (flags.json) process.stdout.write(JSON.stringify({ file, ok: problems.length === 0, problems }) + "\n");
  if (problems.length) {
    if (!flags.json) process.stdout.write(`${renderProblems(problems, file)}\n${file}: ${problems.length} problem(s).\n`);
    return 1;
  }
  if (!flags.json && v.ok) {
    const rb = v.runbook;
    const destructive = [...rb.steps, ...rb.cleanup].filter((s) => s.tool.annotations.destructiveHint).map((s) => stepTitle(s.label, s.tool.name));
    process.stdout.write(
      `${file}: valid. '${rb.name}': ${rb.steps.length} step(s), ${rb.cleanup.length} cleanup step(s)` +
        `${destructive.length ? `; destructive, confirmed in the file: ${destructive.join(", ")}` : ""}.\n`,
    );
  }
  return 0;
}

export function register(program: Command): void {
  const runbook = program.command("runbook").description("YAML runbooks of tool calls with expectations: run, validate, schema.");
  const config = () => program.opts<{ config?: string }>().config;

  runbook
    .command("run")
    .description("Validate the whole runbook, then run it step by step; exit 0 only when every expectation held (1 failed, 2 invalid).")
    .argument("[file]", "runbook file (.yaml)")
    .option("--var <name=value>", "set a runbook var (repeatable)", collect, [] as string[])
    .option("--dry-run", "change nothing: mutating steps only plan, read-only steps run")
    .option("--report <format-and-file...>", `write a report: ${REPORT_FORMATS.join("|")} FILE (repeatable, e.g. --report junit out.xml)`)
    .option("--lab <name>", "run against this lab instead of the runbook's target")
    .option("--target <name>", "run against this config target instead of the runbook's target")
    .option("--keep", "keep a lab the runbook starts")
    .option("--json", "print the run report as JSON instead of the summary")
    .option("--quiet", "no progress lines on stderr")
    .action(async (file: string | undefined, flags: RunFlags) => {
      process.exitCode = await runRunbookCli(file, flags, config());
    });

  runbook
    .command("validate")
    .description("Check runbooks without running anything: every problem with its line, step and what is wrong (exit 1 if any).")
    .argument("<files...>", "runbook files (.yaml), e.g. runbooks/*.yaml in CI")
    .option("--var <name=value>", "set a runbook var (repeatable)", collect, [] as string[])
    .option("--json", "print { ok, problems } as JSON, one line per file")
    .action(async (files: string[], flags: { var: string[]; json?: boolean }) => {
      let code = 0;
      for (const file of files) code = Math.max(code, await validateRunbookCli(file, flags, config()));
      process.exitCode = code;
    });

  runbook
    .command("schema")
    .description("Print the runbook JSON Schema (editors: # yaml-language-server: $schema=...).")
    .option("--out <file>", "write it to this file instead")
    .action(async (o: { out?: string }) => {
      const text = runbookJsonSchemaText(allTools);
      if (o.out) await writeFile(o.out, text);
      else process.stdout.write(text);
    });
}
