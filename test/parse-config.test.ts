/** CONFIG GET replies: a flat name/value list becomes a record; any other shape is refused. */
import { describe, expect, it } from "vitest";
import { parseConfigGet } from "../src/redis/parse-config.js";

describe("parseConfigGet", () => {
  it.each([
    [[], {}],
    [["cluster-node-timeout", "15000"], { "cluster-node-timeout": "15000" }],
    [["requirepass", "", "masterauth", ""], { requirepass: "", masterauth: "" }],
    [["repl-diskless-sync-delay", Buffer.from("5")], { "repl-diskless-sync-delay": "5" }],
  ])("%j -> %j", (reply, want) => {
    expect(parseConfigGet(reply)).toEqual(want);
  });

  it.each([
    ["not a list", "OK"],
    ["odd length", ["cluster-node-timeout"]],
    ["a nested value", ["cluster-node-timeout", ["15000"]]],
    ["a non-string name", [42, "x"]],
  ])("refuses %s", (_what, reply) => {
    expect(() => parseConfigGet(reply)).toThrow(expect.objectContaining({ code: "bad_reply" }));
  });
});
