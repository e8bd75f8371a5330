/**
 * Runs a drill scenario N times: each run sets up its deployment, starts writers (and
 * readers), lets them warm up, performs the scenario's action (a kill, a failover, a
 * slot move) while they run, lets things settle, stops them, reads every written key
 * back, tears down, and hands the history to the checker. The runner asserts nothing.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { CancelledError, errorMessage } from "../errors.js";
import type { ProgressSink } from "../ops/progress.js";
import { checkHistory, type DrillReport } from "./checker.js";
import type { ClientAuth, ClientSettings } from "./client-settings.js";
import { HistoryRecorder, type History } from "./history.js";
import { summarizeRuns, type DrillSummary } from "./summary.js";
import { AckedState, closeClient, finalRead, openClient, openClients, runReader, runWriter, type DrillClient } from "./workload.js";

/** What one run of a scenario set up, and how to act on it. */
export interface DrillSetup {
  /** Where writes go (and the final read). */
  writeTo: { settings: ClientSettings; auth?: ClientAuth };
  /**
   * Writers one by one, e.g. one on each side of a partition (settings.localAddress puts a
   * client in a zone); keyTag makes every key of that writer a {keyTag} hash tag, so a
   * cluster keeps them in one slot. Default: the run's `writers` count of writeTo clients.
   */
  writers?: { settings: ClientSettings; auth?: ClientAuth; keyTag?: string }[];
  /** Where reads go, one entry per reader (none: no readers). */
  readFrom?: { settings: ClientSettings; auth?: ClientAuth }[];
  /** address -> "master" | "replica" at the start, for the read share. */
  roles?: Record<string, string>;
  /** Facts recorded in the history's meta (settings, addresses). No secrets. */
  meta?: Record<string, unknown>;
  /** WAIT for this many replicas after each write (the writers' setting for this run). */
  wait?: { replicas: number; timeoutMs: number };
  /** The fault or change, run while the workload runs; mark what happens with rec.event(). */
  act(ctx: { rec: HistoryRecorder; signal: AbortSignal }): Promise<void>;
  /** Stops whatever setup started; always called. */
  teardown(): Promise<void>;
}

export interface DrillScenario {
  /** e.g. "sentinel-failover", "kill-master/min-replicas". */
  name: string;
  setup(run: number, signal: AbortSignal): Promise<DrillSetup>;
}

export interface DrillOptions {
  /** @default 5 */
  runs?: number;
  /** Workload before the action. @default 500 */
  warmupMs?: number;
  /** Workload after the action returned. @default 1500 */
  settleMs?: number;
  /** @default 2 */
  writers?: number;
  /** Pause between one writer's writes. @default 1 */
  writeIntervalMs?: number;
  /** Threshold for unavailability windows. @default 25 */
  minGapMs?: number;
  signal?: AbortSignal;
  progress?: ProgressSink;
}

export interface DrillRun {
  run: number;
  history: History;
  report: DrillReport;
  /** Set when the action itself failed; the history is kept. */
  actionError?: string;
}

export interface DrillResult {
  scenario: string;
  runs: DrillRun[];
  summary: DrillSummary;
}

async function closeAll(clients: DrillClient[]): Promise<void> {
  // quit() lets replies in flight finish; disconnect() then also ends a Sentinel client's failover-detector links.
  await Promise.all(clients.map((c) => closeClient(c)));
}

async function runOnce(scenario: DrillScenario, run: number, o: Required<Omit<DrillOptions, "signal" | "progress">>, signal: AbortSignal): Promise<DrillRun> {
  const setup = await scenario.setup(run, signal);
  const clients: DrillClient[] = [];
  try {
    const rec = new HistoryRecorder(scenario.name, { run, ...setup.meta, ...(setup.roles ? { roles: setup.roles } : {}) });
    const state = new AckedState();
    const stop = new AbortController();
    const writerSpecs = setup.writers ?? Array.from({ length: o.writers }, () => setup.writeTo);
    const writers = await openClients(writerSpecs);
    clients.push(...writers);
    const readers = await openClients(setup.readFrom ?? []);
    clients.push(...readers);
    const loops = [
      ...writers.map((c, i) => {
        const tag = (writerSpecs[i] as { keyTag?: string }).keyTag;
        const prefix = tag ? `drill:{${tag}}:${run}:w${i}` : `drill:${run}:w${i}`;
        return runWriter(c, rec, state, { process: i, prefix, intervalMs: o.writeIntervalMs, wait: setup.wait, signal: stop.signal });
      }),
      ...readers.map((c, i) => runReader(c, rec, state, { process: 100 + i, signal: stop.signal })),
    ];
    let actionError: string | undefined;
    try {
      await sleep(o.warmupMs, undefined, { signal });
      await setup.act({ rec, signal });
      await sleep(o.settleMs, undefined, { signal });
    } catch (err) {
      if (signal.aborted) throw new CancelledError("The drill was cancelled.", "Its labs were stopped; nothing else was touched.");
      actionError = errorMessage(err);
      rec.event("action-failed", `action failed: ${actionError}`);
    } finally {
      stop.abort();
      await Promise.all(loops);
    }
    const reader = await openClient(setup.writeTo.settings, setup.writeTo.auth);
    clients.push(reader);
    await finalRead(reader, rec, state.keys);
    const history = rec.history();
    return { run, history, report: checkHistory(history, { minGapMs: o.minGapMs }), ...(actionError ? { actionError } : {}) };
  } finally {
    await closeAll(clients);
    await setup.teardown();
  }
}

export async function runDrill(scenario: DrillScenario, opts: DrillOptions = {}): Promise<DrillResult> {
  const o = { runs: 5, warmupMs: 500, settleMs: 1500, writers: 2, writeIntervalMs: 1, minGapMs: 25, ...opts };
  const signal = opts.signal ?? new AbortController().signal;
  const runs: DrillRun[] = [];
  const t0 = Date.now();
  for (let run = 1; run <= o.runs; run++) {
    if (signal.aborted) throw new CancelledError("The drill was cancelled.", "Its labs were stopped; nothing else was touched.");
    const r = await runOnce(scenario, run, o, signal);
    runs.push(r);
    const w = r.report.writes;
    opts.progress?.({
      step: "run",
      message: `${scenario.name} run ${run}/${o.runs}: ${w.ok} acknowledged, ${w.lost} lost, ${w.unknown} unknown, longest write gap ${r.report.unavailability.longestGapMs} ms${r.actionError ? ` (action failed: ${r.actionError})` : ""}`,
      progress: run,
      total: o.runs,
      elapsedMs: Date.now() - t0,
    });
  }
  return { scenario: scenario.name, runs, summary: summarizeRuns(runs.map((r) => r.report)) };
}
