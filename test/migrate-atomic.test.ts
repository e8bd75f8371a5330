// Atomic slot migration (Valkey 9 CLUSTER MIGRATESLOTS, Redis 8.4 CLUSTER MIGRATION):
// detection, command construction and reply parsing, by table, to the servers'
// documented formats. This machine has only Redis 7.0: the one real-server case is that
// 7.0 is detected as having neither, so the key-by-key path runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempLabHome } from "./helpers/env.js";
import { labUp } from "../src/lab/index.js";
import { formatAddress } from "../src/redis/address.js";
import { NodePool } from "../src/redis/connection.js";
import { choosePath, detectNode, parseCapability, type NodeCapability } from "../src/ops/migrate/atomic/detect.js";
import { redisMigrationCancel, redisMigrationImport, redisMigrationStatus, valkeyCancelSlotMigrations, valkeyGetSlotMigrations, valkeyMigrateSlots } from "../src/ops/migrate/atomic/commands.js";
import { parseRedisMigrations, parseSlotRanges, parseValkeyMigrations } from "../src/ops/migrate/atomic/parse.js";
import { findJob } from "../src/ops/migrate/atomic/run-atomic.js";

const INFO_REDIS_70 = "# Server\r\nredis_version:7.0.15\r\nredis_mode:cluster\r\n";
const INFO_REDIS_84 = "# Server\r\nredis_version:8.4.0\r\nredis_mode:cluster\r\n";
// Valkey keeps redis_version (7.2.4) for client compatibility and adds its own fields.
const INFO_VALKEY_9 = "# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:9.0.0\r\nvalkey_release_stage:ga\r\n";
const CMD = ["cluster|x", -2, ["admin"], 0, 0, 0, [], [], [], []];

describe("detection", () => {
  it.each([
    ["Redis 7.0: neither command", INFO_REDIS_70, [null, null], { server: "redis", version: "7.0.15", atomic: "none" }],
    ["Redis 8.4: CLUSTER MIGRATION", INFO_REDIS_84, [null, CMD], { server: "redis", version: "8.4.0", atomic: "redis" }],
    ["Valkey 9: CLUSTER MIGRATESLOTS", INFO_VALKEY_9, [CMD, null], { server: "valkey", version: "9.0.0", atomic: "valkey" }],
    ["Valkey 8: neither", "# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.1.1\r\n", [null, null], { server: "valkey", version: "8.1.1", atomic: "none" }],
    ["an error for COMMAND INFO", INFO_REDIS_70, [], { atomic: "none" }],
  ])("%s", (_, info, cmd, want) => expect(parseCapability("h:1", info, cmd)).toMatchObject(want));

  const node = (atomic: NodeCapability["atomic"], i: number): NodeCapability => ({ address: `127.0.0.1:${7000 + i}`, server: atomic === "valkey" ? "valkey" : "redis", version: "x", atomic });
  it.each([
    ["all Valkey 9", ["valkey", "valkey"], "auto", "valkey", /atomic \(Valkey CLUSTER MIGRATESLOTS\)/],
    ["all Redis 8.4", ["redis", "redis", "redis"], "auto", "redis", /atomic \(Redis CLUSTER MIGRATION IMPORT\)/],
    ["one node without it", ["redis", "none"], "auto", "none", /127.0.0.1:7001 redis x lack/],
    ["Valkey and Redis mixed", ["valkey", "redis"], "auto", "none", /different atomic/],
    ["keys asked for", ["valkey", "valkey"], "keys", "none", /as asked/],
  ] as const)("%s", (_, kinds, wanted, atomic, reason) => {
    const choice = choosePath(kinds.map(node), wanted);
    expect(choice.atomic).toBe(atomic);
    expect(choice.reason).toMatch(reason);
  });
});

describe("commands", () => {
  const A = "a".repeat(40);
  const B = "b".repeat(40);
  it("Valkey MIGRATESLOTS: one SLOTSRANGE ... NODE block per target", () => {
    expect(valkeyMigrateSlots([{ to: A, slots: [{ start: 0, end: 9 }, { start: 20, end: 29 }] }, { to: B, slots: [{ start: 10, end: 19 }] }])).toEqual([
      "CLUSTER", "MIGRATESLOTS", "SLOTSRANGE", "0", "9", "20", "29", "NODE", A, "SLOTSRANGE", "10", "19", "NODE", B,
    ]);
    expect(() => valkeyMigrateSlots([])).toThrow();
    expect(valkeyGetSlotMigrations()).toEqual(["CLUSTER", "GETSLOTMIGRATIONS"]);
    expect(valkeyCancelSlotMigrations()).toEqual(["CLUSTER", "CANCELSLOTMIGRATIONS"]);
  });
  it("Redis MIGRATION IMPORT / STATUS / CANCEL", () => {
    expect(redisMigrationImport([{ start: 0, end: 1000 }, { start: 2000, end: 3000 }])).toEqual(["CLUSTER", "MIGRATION", "IMPORT", "0", "1000", "2000", "3000"]);
    expect(redisMigrationStatus("24cf")).toEqual(["CLUSTER", "MIGRATION", "STATUS", "ID", "24cf"]);
    expect(redisMigrationStatus()).toEqual(["CLUSTER", "MIGRATION", "STATUS", "ALL"]);
    expect(redisMigrationCancel("24cf")).toEqual(["CLUSTER", "MIGRATION", "CANCEL", "ID", "24cf"]);
    expect(redisMigrationCancel()).toEqual(["CLUSTER", "MIGRATION", "CANCEL", "ALL"]);
    expect(() => redisMigrationImport([])).toThrow();
  });
});

describe("GETSLOTMIGRATIONS replies (Valkey 9)", () => {
  // The RESP2 example of the command's documentation.
  const doc = ["name", "5371b28997de6fd0bbe813ad8ebdfdf2faadb308", "operation", "EXPORT", "slot_ranges", "0-10", "target_node", "4b4f12fdfb58d5e30fef7b9ad3f1651dacbbaba9", "source_node", "93941e777e17fcbc92d4398cc957ffea888f472b", "create_time", 1754870400, "last_update_time", 1754870400, "last_ack_time", 1754870400, "state", "success", "message", "", "cow_size", 0];
  it("the documented RESP2 entry", () => {
    expect(parseValkeyMigrations([doc])).toEqual([
      { id: "5371b28997de6fd0bbe813ad8ebdfdf2faadb308", operation: "export", slots: [{ start: 0, end: 10 }], source: "93941e777e17fcbc92d4398cc957ffea888f472b", target: "4b4f12fdfb58d5e30fef7b9ad3f1651dacbbaba9", state: "success", outcome: "success", message: "" },
    ]);
  });
  it("RESP3 maps, several ranges, active and ended states", () => {
    const entry = (state: string, ranges: string) => new Map<string, unknown>([["name", "n1"], ["operation", "IMPORT"], ["slot_ranges", ranges], ["state", state], ["message", "m"]]);
    const [a, b, c, d] = parseValkeyMigrations([entry("snapshotting", "0-10 20-30"), entry("failed", "5"), entry("cancelled", "1-2"), entry("success", "7-7")]);
    expect(a).toMatchObject({ operation: "import", slots: [{ start: 0, end: 10 }, { start: 20, end: 30 }], state: "snapshotting" });
    expect(a.outcome).toBeUndefined();
    expect([b.outcome, c.outcome, d.outcome]).toEqual(["failed", "cancelled", "success"]);
  });
  it.each([
    ["not a list", "OK", /not a list of jobs/],
    ["an odd field list", [["name"]], /field\/value/],
    ["an unknown operation", [["name", "x", "operation", "MOVE", "slot_ranges", "1"]], /operation 'MOVE'/],
    ["a bad range", [["name", "x", "operation", "EXPORT", "slot_ranges", "10-5"]], /slot range '10-5'/],
    ["a slot out of range", [["name", "x", "operation", "EXPORT", "slot_ranges", "0-16384"]], /within 0-16383/],
  ])("refuses %s", (_, reply, err) => expect(() => parseValkeyMigrations(reply)).toThrow(err));
});

describe("CLUSTER MIGRATION STATUS replies (Redis 8.4)", () => {
  const documented = ["id", "24cf41718b20f7f05901743dffc40bc9b15db339", "slots", "0-1000 2000-3000", "source", "a".repeat(40), "dest", "b".repeat(40), "operation", "import", "state", "completed", "last_error", "", "retries", 0, "create_time", 1, "start_time", 2, "end_time", 3, "write_pause_ms", 2];
  it("the documented fields", () => {
    expect(parseRedisMigrations([documented])).toEqual([
      { id: "24cf41718b20f7f05901743dffc40bc9b15db339", operation: "import", slots: [{ start: 0, end: 1000 }, { start: 2000, end: 3000 }], source: "a".repeat(40), target: "b".repeat(40), state: "completed", outcome: "success", message: "" },
    ]);
  });
  it.each([
    ["in progress", "wait-stream-eof", undefined],
    ["failed", "failed", "failed"],
    ["canceled (Redis spelling)", "canceled", "cancelled"],
    ["done (early 8.x)", "done", "success"],
  ])("state %s", (_, state, outcome) => expect(parseRedisMigrations([["id", "x", "slots", "1", "operation", "migrate", "state", state]])[0].outcome).toBe(outcome));
  it("early 8.x field names: slots_range, error, migrating", () => {
    expect(parseRedisMigrations([["id", "x", "slots_range", "5-6", "operation", "migrating", "state", "failed", "error", "boom"]])[0]).toMatchObject({ operation: "export", slots: [{ start: 5, end: 6 }], message: "boom", outcome: "failed" });
  });
  it("refuses an unknown operation", () => expect(() => parseRedisMigrations([["id", "x", "operation", "copy", "slots", "1"]])).toThrow(/operation 'copy'/));
});

describe("jobs matched to moves", () => {
  const move = { from: "s", to: "t", slots: [{ start: 0, end: 9 }, { start: 10, end: 19 }] };
  const job = (target: string, ranges: string, id = "j") => parseValkeyMigrations([["name", id, "operation", "EXPORT", "slot_ranges", ranges, "target_node", target, "state", "x"]])[0];
  it("by slots (merged) and target; by id when the server gave one", () => {
    expect(findJob([job("t", "0-19")], move, "export")?.id).toBe("j");
    expect(findJob([job("u", "0-19")], move, "export")).toBeUndefined();
    expect(findJob([job("t", "0-18")], move, "export")).toBeUndefined();
    expect(findJob([job("t", "0-19", "a"), job("t", "0-19", "b")], move, "export")?.id).toBe("b");
    expect(findJob([job("x", "1", "id9")], move, "export", "id9")?.id).toBe("id9");
  });
  it("slot ranges in either separator", () => expect(parseSlotRanges("0-10,20-30 40", "X")).toEqual([{ start: 0, end: 10 }, { start: 20, end: 30 }, { start: 40, end: 40 }]));
});

describe("on this machine's Redis 7.0", () => {
  useTempLabHome();
  let pool: NodePool;
  let address: string;
  beforeAll(async () => {
    const lab = await labUp({ name: "atomic", nodes: 1 });
    address = formatAddress(lab.nodes[0]);
    pool = new NodePool({});
  });
  afterAll(() => pool?.close());
  it("a real 7.0 node is detected as having no atomic slot migration", async () => {
    const cap = await detectNode(pool, address);
    expect(cap).toMatchObject({ server: "redis", atomic: "none" });
    expect(cap.version).toMatch(/^7\./);
    expect(choosePath([cap], "auto").reason).toMatch(/key by key: .* lack atomic slot migration/);
  });
});
