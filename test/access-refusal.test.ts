// The refusal a mutating call meets at a read-only node, one sentence per case: a bare
// address (typed, or a peer a server reported that no lab or target claims), a read-only
// target, and a node two owners list.
import { describe, expect, it } from "vitest";
import { refusal } from "../src/targets/access.js";

const none = { kind: "none" } as const;
const prod = { kind: "target", name: "prod" } as const;
const lab = { kind: "lab", name: "demo" } as const;

describe("refusal", () => {
  it.each([
    ["a bare address", "10.0.0.1:6379", none, [], undefined, "10.0.0.1:6379 is read-only here: it belongs to no lab or config target, and bare addresses are read-only for this caller."],
    ["a reported peer no one claims", "127.0.0.9:7000", none, [{ owner: none, mutable: false }], "127.0.0.1:7000", "127.0.0.9:7000 (reported by 127.0.0.1:7000) is read-only here: it belongs to no lab or config target, and bare addresses are read-only for this caller."],
    ["a read-only target's node", "127.0.0.2:7000", prod, [{ owner: prod, mutable: false }], undefined, "127.0.0.2:7000 is read-only here: target 'prod' does not allow mutations."],
    ["a node a lab and a read-only target both list", "127.0.0.3:7000", lab, [{ owner: lab, mutable: true }, { owner: prod, mutable: false }], undefined, "127.0.0.3:7000 is read-only here: lab 'demo' and target 'prod' list it, and target 'prod' does not allow mutations."],
  ])("%s", (_case, address, owner, claims, via, message) => {
    expect(refusal(address, owner, claims, via).message).toBe(message);
  });
});
