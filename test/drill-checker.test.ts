// The drill checker on small hand-written histories: each case is a history and the
// numbers the checker must read from it (lost, unknown, stale, unavailability).
import { describe, expect, it } from "vitest";
import { checkHistory } from "../src/drills/checker.js";
import { HistoryRecorder, type History, type HistoryOp } from "../src/drills/history.js";

type Row = [time: number, process: number, type: HistoryOp["type"], f: HistoryOp["f"], key?: string, value?: HistoryOp["value"], node?: string];

/** Rows in time order; completions pair with the latest open invoke of the same process. */
function history(rows: Row[], meta: Record<string, unknown> = {}, events: History["events"] = []): History {
  const open = new Map<number, number>();
  let id = 0;
  const ops: HistoryOp[] = rows.map(([time, process, type, f, key, value, node]) => {
    const opId = type === "invoke" ? ++id : open.get(process)!;
    if (type === "invoke") open.set(process, opId);
    return { id: opId, process, type, f, time, ...(key !== undefined ? { key } : {}), ...(value !== undefined ? { value } : {}), ...(node ? { node } : {}), ...(type === "fail" || type === "info" ? { error: "x" } : {}) };
  });
  return { drill: "test", startedAt: "2026-01-01T00:00:00.000Z", ops, events, meta };
}

const write = (t0: number, t1: number, key: string, value: number, outcome: "ok" | "fail" | "info" = "ok", p = 0): Row[] => [
  [t0, p, "invoke", "write", key, value],
  [t1, p, outcome, "write", key, value],
];
const final = (t: number, state: Record<string, number | null>): Row[] => [
  [t, 9, "invoke", "final-read"],
  [t + 1, 9, "ok", "final-read", undefined, state],
];

describe("checkHistory: writes", () => {
  const cases: { name: string; rows: Row[]; expect: Partial<ReturnType<typeof checkHistory>["writes"]>; valid: boolean }[] = [
    {
      name: "every acknowledged write is in the final read",
      rows: [...write(0, 1, "k1", 1), ...write(2, 3, "k2", 2), ...final(10, { k1: 1, k2: 2 })],
      expect: { ok: 2, kept: 2, lost: 0 },
      valid: true,
    },
    {
      name: "an acknowledged write missing from the final read is lost",
      rows: [...write(0, 1, "k1", 1), ...write(2, 3, "k2", 2), ...final(10, { k1: 1, k2: null })],
      expect: { ok: 2, kept: 1, lost: 1, lostSample: [{ key: "k2", value: 2, ackedAt: 3 }] },
      valid: false,
    },
    {
      name: "unknown outcomes are reported present or absent, never lost or kept",
      rows: [...write(0, 1, "k1", 1, "info"), ...write(2, 3, "k2", 2, "info"), ...final(10, { k1: 1, k2: null })],
      expect: { ok: 0, unknown: 2, kept: 0, lost: 0, unknownPresent: 1, unknownAbsent: 1 },
      valid: true,
    },
    {
      name: "a failed write that shows up anyway is flagged",
      rows: [...write(0, 1, "k1", 1, "fail"), ...final(10, { k1: 1 })],
      expect: { failed: 1, failedButPresent: 1 },
      valid: false,
    },
    {
      name: "a register keeps a write when a later value overwrote it",
      rows: [...write(0, 1, "r", 1), ...write(2, 3, "r", 2), ...final(10, { r: 2 })],
      expect: { kept: 2, lost: 0 },
      valid: true,
    },
    {
      name: "a register rolled back to an older value lost the newer acknowledged write",
      rows: [...write(0, 1, "r", 1), ...write(2, 3, "r", 2), ...final(10, { r: 1 })],
      expect: { kept: 1, lost: 1 },
      valid: false,
    },
    {
      name: "keys the final read did not cover are not judged",
      rows: [...write(0, 1, "k1", 1), ...final(10, {})],
      expect: { ok: 1, kept: 0, lost: 0 },
      valid: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = checkHistory(history(c.rows));
      expect(r.writes).toMatchObject(c.expect);
      expect(r.valid).toBe(c.valid);
    });
  }

  it("without a final read nothing is judged lost and the run is not valid", () => {
    const r = checkHistory(history(write(0, 1, "k1", 1)));
    expect(r.finalRead).toBe(false);
    expect(r.writes.lost).toBe(0);
    expect(r.valid).toBe(false);
  });

  it("an invoke with no completion counts as unknown", () => {
    const r = checkHistory(history([[0, 0, "invoke", "write", "k1", 1], ...final(10, { k1: null })]));
    expect(r.writes).toMatchObject({ unknown: 1, unknownAbsent: 1, lost: 0 });
  });
});

describe("checkHistory: reads", () => {
  it("a read that began after a write was acknowledged and missed it is stale, by how long", () => {
    const rows: Row[] = [
      ...write(0, 2, "k", 1),
      [5, 1, "invoke", "read", "k"],
      [6, 1, "ok", "read", "k", null, "r1:1"],
      [8, 1, "invoke", "read", "k"],
      [9, 1, "ok", "read", "k", 1, "r1:1"],
    ];
    const r = checkHistory(history(rows));
    expect(r.reads).toMatchObject({ ok: 2, stale: 1, maxStalenessMs: 3, byNode: { "r1:1": 2 } });
  });

  it("a read concurrent with the write may see either value: not stale", () => {
    const rows: Row[] = [[0, 0, "invoke", "write", "k", 1], [1, 1, "invoke", "read", "k"], [2, 1, "ok", "read", "k", null, "m:1"], [3, 0, "ok", "write", "k", 1]];
    expect(checkHistory(history(rows)).reads.stale).toBe(0);
  });

  it("counts the share of reads served by replicas from meta.roles", () => {
    const rows: Row[] = [
      [0, 1, "invoke", "read", "k"],
      [1, 1, "ok", "read", "k", null, "m:1"],
      [2, 1, "invoke", "read", "k"],
      [3, 1, "ok", "read", "k", null, "r:1"],
      [4, 1, "invoke", "read", "k"],
      [5, 1, "ok", "read", "k", null, "r:2"],
      [6, 1, "invoke", "read", "k"],
      [7, 1, "fail", "read", "k"],
    ];
    const r = checkHistory(history(rows, { roles: { "m:1": "master", "r:1": "replica", "r:2": "replica" } }));
    expect(r.reads).toMatchObject({ ok: 3, failed: 1, replicaShare: 0.667 });
  });
});

describe("checkHistory: unavailability", () => {
  it("a gap between successful writes longer than minGapMs is a window, with what failed inside", () => {
    const rows: Row[] = [...write(0, 1, "a", 1), ...write(2, 3, "b", 2), ...write(4, 50, "c", 3, "fail"), ...write(51, 90, "d", 4, "info"), ...write(91, 120, "e", 5), ...write(121, 122, "f", 6)];
    const r = checkHistory(history(rows), { minGapMs: 25 });
    expect(r.unavailability.windows).toEqual([{ start: 3, end: 120, durationMs: 117, failed: 1, unknown: 1, ongoing: false }]);
    expect(r.unavailability.totalMs).toBe(117);
    expect(r.unavailability.longestGapMs).toBe(117);
  });

  it("writes still failing at the end leave an ongoing window", () => {
    const rows: Row[] = [...write(0, 1, "a", 1), ...write(2, 100, "b", 2, "fail")];
    const r = checkHistory(history(rows), { minGapMs: 25 });
    expect(r.unavailability.windows).toEqual([{ start: 1, end: 100, durationMs: 99, failed: 1, unknown: 0, ongoing: true }]);
  });

  it("short gaps are below the threshold but still give the longest gap", () => {
    const rows: Row[] = [...write(0, 1, "a", 1), ...write(2, 20, "b", 2), ...write(21, 22, "c", 3)];
    const r = checkHistory(history(rows), { minGapMs: 25 });
    expect(r.unavailability.windows).toEqual([]);
    expect(r.unavailability.longestGapMs).toBe(19);
  });
});

describe("HistoryRecorder", () => {
  it("records invoke and completion with the invoke's key and value, and closes what is in flight", () => {
    let t = 1000;
    const rec = new HistoryRecorder("unit", { x: 1 }, () => t);
    const a = rec.invoke(0, "write", { key: "k", value: 1 });
    t = 1002.5;
    rec.ok(a, { node: "n:1" });
    rec.event("kill", "kill -9 master");
    rec.invoke(1, "write", { key: "k2", value: 2 });
    const h = rec.history();
    expect(h.ops).toEqual([
      { id: 1, process: 0, type: "invoke", f: "write", time: 0, key: "k", value: 1 },
      { id: 1, process: 0, type: "ok", f: "write", time: 2.5, key: "k", value: 1, node: "n:1" },
      { id: 2, process: 1, type: "invoke", f: "write", time: 2.5, key: "k2", value: 2 },
      { id: 2, process: 1, type: "info", f: "write", time: 2.5, key: "k2", value: 2, error: "still in flight when the history ended" },
    ]);
    expect(h.events).toEqual([{ time: 2.5, kind: "kill", label: "kill -9 master" }]);
    expect(() => rec.ok(1)).toThrow(/not in flight/);
  });
});
