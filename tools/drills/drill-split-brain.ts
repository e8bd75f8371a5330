import { z } from "zod";
import { defineTool } from "../../src/registry/tool.js";
import { drillCliFlags, drillExitCode, drillInputFields, drillOutput, drillOutputSchema, drillToolShape, dryRunOutput, summarizeDrill } from "../../src/drills/tool-shape.js";
import { runDrill } from "../../src/drills/run-drill.js";
import { checkIptablesAccess } from "../../src/lab/faults/iptables.js";
import { splitBrain, summarizeSplitBrain } from "../../src/drills/split-brain/measure.js";
import { CUT_ZONE, splitBrainScenario } from "../../src/drills/split-brain/scenario.js";
import { SENTINEL_LAYOUTS, VARIANTS, variantSettings, type SentinelLayout } from "../../src/drills/split-brain/variants.js";

const spreadSchema = z.object({ min: z.number(), median: z.number(), max: z.number() });
const { writers: _fixed, ...inputFields } = drillInputFields;

export const drillSplitBrain = defineTool({
  name: "drill_split_brain",
  title: "Split-brain drill: cut off the zone holding a master",
  description:
    "Measure split brain, for Redis Cluster and for Sentinel, each with Redis' default settings and tuned against it " +
    "(min-replicas-to-write 1 / max-lag 1; Cluster also cluster-node-timeout 3000). Each run starts its own lab over 3 zones, " +
    "cuts zone z1 (which holds a master) off with iptables while one client writes from inside z1 and one from the majority " +
    "side, keeps the cut until the majority has a new master, heals, and waits for the old master to rejoin. Reports the " +
    "split-brain window (both masters acknowledging writes), acknowledged writes lost at heal, how long the old master kept " +
    "taking writes and when the majority's client resumed. Needs root (iptables). Starts and stops only its own labs.",
  // Its own output, summary and --hold flag over the shared shape.
  ...drillToolShape,
  input: z.object({
    deployment: z.enum(["cluster", "sentinel", "both"]).default("both").describe("Which deployment to drill."),
    settings: z.enum(["default", "tuned", "both"]).default("both").describe("Redis' defaults, settings tuned against split brain, or both."),
    backend: z.enum(["local", "docker"]).default("local").describe("Lab backend for the drill's labs."),
    layout: z
      .enum(Object.keys(SENTINEL_LAYOUTS) as [SentinelLayout, ...SentinelLayout[]])
      .default("sentinel-3")
      .describe("Sentinel scenarios: the lab template drilled: sentinel-3 (one data node per zone) or multi-dc-sentinel (two per zone, a local replica beside the master; tuned then means min-replicas-to-write 2)."),
    holdMs: z.number().int().min(0).max(60_000).default(3000).describe("How long the cut stays after the majority's new master is seen, in ms."),
    ...inputFields,
  }),
  output: drillOutputSchema.extend({
    splitBrain: z.array(
      z.object({
        scenario: z.string(),
        settings: z.string(),
        summary: z.object({ runs: z.number(), windowMs: spreadSchema, lostAtHeal: spreadSchema, minorityAcceptedMs: spreadSchema, failoverMs: spreadSchema, noFailoverRuns: z.number() }),
        runs: z.array(
          z.object({ run: z.number(), windowMs: z.number(), minorityAcked: z.number(), minorityAckedAfterHeal: z.number(), minorityLost: z.number(), minorityAcceptedMs: z.number(), failoverMs: z.number().optional() }),
        ),
      }),
    ),
  }),
  summarize: (o) => {
    if (o.dryRun) return summarizeDrill(o);
    const fmt = (s: { min: number; median: number; max: number }, unit = "") => (s.min === s.max ? `${s.min}${unit}` : `${s.median}${unit} (${s.min}-${s.max})`);
    const lines = o.splitBrain.map(
      (s) =>
        `  ${s.scenario} [${s.settings}]: split-brain window ${fmt(s.summary.windowMs, " ms")}, acknowledged writes lost at heal ${fmt(s.summary.lostAtHeal)}, ` +
        `old master took writes for ${fmt(s.summary.minorityAcceptedMs, " ms")} after the cut, majority client resumed after ${s.summary.noFailoverRuns === s.summary.runs ? "- (never during the cut)" : fmt(s.summary.failoverMs, " ms")}`,
    );
    return [`Split-brain drill (${o.splitBrain[0]?.summary.runs ?? 0} runs each):`, ...lines, summarizeDrill(o)].join("\n");
  },
  cli: { flags: { ...drillCliFlags, holdMs: "hold" }, exitCode: drillExitCode },
  async handler(input, ctx) {
    const variants = VARIANTS.filter(
      (v) => (input.deployment === "both" || v.deployment === input.deployment) && (input.settings === "both" || v.tuned === (input.settings === "tuned")),
    ).map((v) => (v.deployment === "sentinel" ? { ...v, layout: input.layout } : v));
    const plan = [
      `For each of ${variants.map((v) => `${v.deployment}/${v.tuned ? "tuned" : "default"}`).join(", ")}${variants.some((v) => v.layout) ? ` (Sentinel on the ${input.layout} layout)` : ""}: ${input.runs} runs, each on a fresh ${input.backend} lab over 3 zones.`,
      `Cut zone ${CUT_ZONE} (it holds a master) off with iptables; one client writes from inside ${CUT_ZONE}, one from the majority side.`,
      `Keep the cut until the majority has a new master, plus ${input.holdMs} ms; heal; wait for the old master to rejoin as a replica.`,
      ...variants.map((v) => `${v.deployment}/${v.tuned ? "tuned" : "default"}: ${variantSettings(v).describe}.`),
    ];
    if (input.dryRun) return { ...dryRunOutput("split_brain", plan), splitBrain: [] };
    // Every run cuts with iptables: without the right to, say so before a lab starts.
    await checkIptablesAccess();
    const results = [];
    for (const v of variants) {
      results.push(await runDrill(splitBrainScenario(v, { backend: input.backend, holdAfterFailoverMs: input.holdMs }), { ...input, writers: 2, signal: ctx.signal, progress: ctx.progress }));
    }
    const out = await drillOutput("split_brain", plan, results, { history: input.history, svg: input.svg });
    const splitBrainRows = results.map((r, i) => {
      const reports = r.runs.map((run) => splitBrain(run.history));
      return {
        scenario: r.scenario,
        settings: variantSettings(variants[i]).describe,
        summary: summarizeSplitBrain(reports),
        runs: reports.map((b, j) => ({
          run: r.runs[j].run,
          windowMs: b.windowMs,
          minorityAcked: b.minorityAcked,
          minorityAckedAfterHeal: b.minorityAckedAfterHeal,
          minorityLost: b.minorityLost,
          minorityAcceptedMs: b.minorityAcceptedMs,
          ...(b.failoverMs !== undefined ? { failoverMs: b.failoverMs } : {}),
        })),
      };
    });
    return { ...out, splitBrain: splitBrainRows };
  },
});
