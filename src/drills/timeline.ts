/**
 * A drill's timeline as SVG: operations completed per 10 ms bucket (ok / failed /
 * unknown, stacked), with the history's events (a kill, a failover, a slot move) as
 * labelled rules. timelineSpec is pure (a Vega-Lite spec); renderTimelineSvg renders
 * it with vega in Node, no browser.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { LabError } from "../errors.js";
import { packageRoot } from "../package-root.js";
import type { History } from "./history.js";

export const BUCKET_MS = 10;
const COLORS = { ok: "#2f9e44", failed: "#e03131", unknown: "#f08c00" } as const;

export interface TimelineRow {
  run: string;
  t: number;
  outcome: keyof typeof COLORS;
  n: number;
}

/** Operation completions per bucket, writes and reads together. */
export function timelineRows(history: History, run = "run 1"): TimelineRow[] {
  const counts = new Map<string, TimelineRow>();
  for (const op of history.ops) {
    if (op.type === "invoke" || op.f === "final-read") continue;
    const t = Math.floor(op.time / BUCKET_MS) * BUCKET_MS;
    const outcome = op.type === "ok" ? "ok" : op.type === "fail" ? "failed" : "unknown";
    const key = `${t}/${outcome}`;
    const row = counts.get(key) ?? { run, t, outcome, n: 0 };
    row.n++;
    counts.set(key, row);
  }
  return [...counts.values()].sort((a, b) => a.t - b.t || a.outcome.localeCompare(b.outcome));
}

function runChart(history: History, title: string, width: number): Record<string, unknown> {
  const events = history.events.map((e) => ({ t: e.time, label: e.label }));
  const end = Math.max(0, ...history.ops.filter((o) => o.f !== "final-read").map((o) => o.time));
  const x = { field: "t", type: "quantitative", title: "ms since start", scale: { domain: [0, Math.ceil(end / 100) * 100] } };
  return {
    title: { text: title, anchor: "start", fontSize: 12 },
    width,
    height: 110,
    layer: [
      {
        data: { values: timelineRows(history) },
        mark: { type: "bar", width: { band: 1 } },
        encoding: {
          x: { ...x, bin: { step: BUCKET_MS, binned: true } },
          x2: { datum: null },
          y: { field: "n", type: "quantitative", aggregate: "sum", title: `ops / ${BUCKET_MS} ms`, stack: "zero" },
          color: { field: "outcome", type: "nominal", title: "outcome", scale: { domain: Object.keys(COLORS), range: Object.values(COLORS) } },
        },
      },
      ...(events.length
        ? [
            { data: { values: events }, mark: { type: "rule", color: "#343a40", strokeDash: [4, 3] }, encoding: { x } },
            { data: { values: events }, mark: { type: "text", align: "left", dx: 3, dy: -4, fontSize: 10, angle: 0, baseline: "bottom" }, encoding: { x, y: { value: 0 }, text: { field: "label" } } },
          ]
        : []),
    ],
  };
}

/** A Vega-Lite spec: one stacked bar chart per run, events marked. */
export function timelineSpec(histories: History[], opts: { title?: string; width?: number } = {}): Record<string, unknown> {
  const width = opts.width ?? 720;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: opts.title ?? `${histories[0]?.drill ?? "drill"}: operations per ${BUCKET_MS} ms`,
    vconcat: histories.map((h, i) => runChart(h, `run ${i + 1}`, width)),
    config: { view: { stroke: null }, axis: { grid: false } },
  };
}

/**
 * Renders the timeline to an SVG string with vega-lite + vega in Node, in a child process
 * (scripts/render-vega.mjs): vega is ESM with top-level await, which the CLI's CommonJS
 * bundle cannot load.
 */
export async function renderTimelineSvg(histories: History[], opts: { title?: string; width?: number } = {}): Promise<string> {
  const script = join(packageRoot(), "scripts", "render-vega.mjs");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    // A renderer that exits early (script missing, bad spec) closes its stdin: the exit code says why, not an EPIPE crash.
    child.stdin.on("error", () => undefined);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new LabError(`Rendering the SVG timeline failed: ${Buffer.concat(err).toString("utf8").trim().split("\n")[0] || `exit ${code}`}.`, "Check that the vega and vega-lite packages are installed (npm ci)."));
    });
    child.stdin.end(JSON.stringify(timelineSpec(histories, opts)));
  });
}
