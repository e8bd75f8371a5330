// The HTTP session table's policy, with plain numbers for time: a cap on live
// sessions, idle expiry, and use that keeps a session alive.
import { describe, expect, it } from "vitest";
import { SessionTable } from "../src/mcp/sessions.js";

const closable = (name: string) => ({ name, close: async () => {} });

describe("SessionTable", () => {
  it("refuses room past the cap", () => {
    const t = new SessionTable(2, 1000);
    expect(t.hasRoom()).toBe(true);
    t.add("a", closable("a"), 0);
    t.add("b", closable("b"), 0);
    expect(t.hasRoom()).toBe(false);
    t.delete("a");
    expect(t.hasRoom()).toBe(true);
  });

  it.each([
    // last use, now, expired?
    [0, 999, false],
    [0, 1000, true],
    [500, 1499, false],
    [500, 1500, true],
  ])("a session last used at %i is expired at %i: %s", (used, now, expired) => {
    const t = new SessionTable(4, 1000);
    t.add("s", closable("s"), 0);
    t.get("s", used);
    expect(t.expire(now).length).toBe(expired ? 1 : 0);
    expect(t.get("s", now) === undefined).toBe(expired);
  });

  it("expires only the idle ones and returns them for closing", () => {
    const t = new SessionTable<ReturnType<typeof closable>>(4, 100);
    t.add("old", closable("old"), 0);
    t.add("new", closable("new"), 90);
    expect(t.expire(120).map((s) => s.name)).toEqual(["old"]);
    expect(t.size).toBe(1);
  });
});
