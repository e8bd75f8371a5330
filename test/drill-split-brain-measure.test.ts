// The split-brain reading of a history, on small hand-written histories: which
// acknowledgments came from the old master (minority side) after the cut, which of them
// the final read lost, when the majority side's new master first answered, and how long
// both acknowledged writes at once.
import { describe, expect, it } from "vitest";
import { HistoryRecorder } from "../src/drills/history.js";
import { splitBrain } from "../src/drills/split-brain/measure.js";

type Step =
  | { t: number; write: { p: number; key: string; value: number; until: number; outcome: "ok" | "fail" | "info" } }
  | { t: number; event: string }
  | { t: number; final: Record<string, number | null> };

/** Builds a history from timed steps with a hand-driven clock. */
function history(steps: Step[]) {
  let now = 0;
  const rec = new HistoryRecorder("split-brain", { sides: { 0: "minority", 1: "majority" } }, () => now);
  const pending: Array<{ at: number; done: () => void }> = [];
  const flush = (until: number) => {
    pending.sort((a, b) => a.at - b.at);
    while (pending.length && pending[0].at <= until) {
      const p = pending.shift()!;
      now = p.at;
      p.done();
    }
  };
  for (const s of [...steps].sort((a, b) => a.t - b.t)) {
    flush(s.t);
    now = s.t;
    if ("event" in s) rec.event(s.event, s.event);
    else if ("final" in s) rec.ok(rec.invoke(1000, "final-read"), { value: s.final });
    else {
      const w = s.write;
      const id = rec.invoke(w.p, "write", { key: w.key, value: w.value });
      pending.push({ at: w.until, done: () => (w.outcome === "ok" ? rec.ok(id) : w.outcome === "fail" ? rec.fail(id, "NOREPLICAS") : rec.info(id, "timeout")) });
    }
  }
  flush(Number.POSITIVE_INFINITY);
  return rec.history();
}

const write = (t: number, p: number, n: number, until = t + 1, outcome: "ok" | "fail" | "info" = "ok"): Step => ({ t, write: { p, key: `k${p}:${n}`, value: n, until, outcome } });

describe("splitBrain", () => {
  it("old master stopped before the new one started: no window, its acknowledgments after the cut lost", () => {
    const h = history([
      write(0, 0, 1),
      write(0, 1, 1),
      { t: 10, event: "partition" },
      write(20, 0, 2), // old master acks after the cut: lost at rejoin
      write(30, 0, 3),
      write(40, 0, 4, 41, "fail"), // min-replicas-to-write stops it
      write(50, 1, 2, 60, "info"), // majority side times out towards the old master
      write(70, 1, 3), // new master's first ack
      { t: 100, event: "heal" },
      { t: 120, event: "rejoined" },
      { t: 200, final: { "k0:1": 1, "k1:1": 1, "k0:2": null, "k0:3": null, "k0:4": null, "k1:2": null, "k1:3": 3 } },
    ]);
    expect(splitBrain(h)).toEqual({
      partitionAt: 10,
      healAt: 100,
      rejoinedAt: 120,
      minorityAcked: 2,
      minorityAckedAfterHeal: 0,
      minorityLost: 2,
      minorityAcceptedMs: 21,
      failoverMs: 61,
      windowMs: 0,
    });
  });

  it("both masters acknowledging at once: the window runs from the new master's first ack to the old one's last, past the heal until it rejoined", () => {
    const h = history([
      { t: 10, event: "partition" },
      write(20, 1, 1), // new master first ack at 21
      write(30, 0, 1),
      { t: 50, event: "heal" },
      write(60, 0, 2), // still a master after the heal (Sentinel has not reconfigured it yet)
      { t: 80, event: "rejoined" },
      write(90, 0, 3, 91, "fail"), // READONLY now
      { t: 200, final: { "k1:1": 1, "k0:1": null, "k0:2": null, "k0:3": null } },
    ]);
    expect(splitBrain(h)).toMatchObject({ minorityAcked: 2, minorityAckedAfterHeal: 1, minorityLost: 2, minorityAcceptedMs: 51, failoverMs: 11, windowMs: 40 });
  });

  it("a write acknowledged before the cut does not count, even if it completed after", () => {
    const h = history([write(5, 0, 1, 15), { t: 10, event: "partition" }, { t: 20, event: "heal" }, { t: 30, final: { "k0:1": 1 } }]);
    expect(splitBrain(h)).toMatchObject({ minorityAcked: 0, minorityAcceptedMs: 0, windowMs: 0 });
    expect(splitBrain(h).failoverMs).toBeUndefined();
  });

  it("without a partition event there is nothing to read", () => {
    expect(splitBrain(history([write(0, 0, 1)]))).toMatchObject({ minorityAcked: 0, windowMs: 0, partitionAt: undefined });
  });
});
