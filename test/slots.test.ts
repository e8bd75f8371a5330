// Slot math against values CLUSTER KEYSLOT returned on redis-server 7.0.15.
import { describe, expect, it } from "vitest";
import {
  SLOT_COUNT,
  countSlots,
  crc16,
  formatRanges,
  keySlot,
  mergeRanges,
  parseRanges,
  rangesToSlots,
  slotsToRanges,
  splitSlots,
  uncoveredRanges,
} from "../src/redis/slots.js";

describe("keySlot", () => {
  it.each([
    ["foo", 12182],
    ["bar", 5061],
    ["{user1000}.following", 3443],
    ["{user1000}.followers", 3443],
    ["foo{}{bar}", 8363], // empty first tag: the whole key hashes
    ["foo{{bar}}zap", 4015], // hashes "{bar"
    ["foo{bar}{zap}", 5061], // first tag only: "bar"
    ["{}", 15257],
    ["", 0],
    ["a", 15495],
    ["hello", 866],
    ["user:1000", 1649],
    ["{", 4092],
    ["}{", 12793],
    ["{a", 10276],
    ["é", 10180], // UTF-8 bytes
    ["123456789", 12739],
    ["key:{tag}:x", 8338],
    ["{tag}", 8338],
  ])("%j -> %i", (key, slot) => {
    expect(keySlot(key)).toBe(slot);
    expect(keySlot(Buffer.from(key, "utf8"))).toBe(slot);
  });

  it("crc16 is XMODEM (check value 0x31c3)", () => {
    expect(crc16(Buffer.from("123456789"))).toBe(0x31c3);
  });
});

describe("splitSlots (same split as redis-cli --cluster create)", () => {
  it.each([
    [1, "0-16383"],
    [2, "0-8191,8192-16383"],
    [3, "0-5460,5461-10922,10923-16383"],
    [4, "0-4095,4096-8191,8192-12287,12288-16383"],
    [5, "0-3276,3277-6553,6554-9829,9830-13106,13107-16383"],
    [6, "0-2730,2731-5460,5461-8191,8192-10922,10923-13652,13653-16383"],
  ])("%i masters -> %s", (masters, expected) => {
    expect(formatRanges(splitSlots(masters))).toBe(expected);
  });

  it.each([7, 10, 12, 100, 1000, 16384])("%i masters: contiguous, covering, sizes differ by at most one", (masters) => {
    const ranges = splitSlots(masters);
    expect(ranges).toHaveLength(masters);
    expect(ranges[0].start).toBe(0);
    expect(ranges[masters - 1].end).toBe(SLOT_COUNT - 1);
    for (let i = 1; i < masters; i++) expect(ranges[i].start).toBe(ranges[i - 1].end + 1);
    const sizes = ranges.map((r) => r.end - r.start + 1);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it.each([0, -1, 1.5, 16385])("rejects %s masters", (n) => {
    expect(() => splitSlots(n)).toThrow(RangeError);
  });
});

describe("ranges", () => {
  it.each([
    [[], ""],
    [[5], "5"],
    [[3, 1, 2, 2], "1-3"],
    [[0, 1, 2, 10, 12, 11, 16383], "0-2,10-12,16383"],
  ])("slotsToRanges(%j) -> %s", (slots, text) => {
    expect(formatRanges(slotsToRanges(slots))).toBe(text);
  });

  it("rangesToSlots inverts slotsToRanges", () => {
    const slots = [0, 1, 2, 100, 5000, 5001, 16383];
    expect(rangesToSlots(slotsToRanges(slots))).toEqual(slots);
  });

  it.each([
    ["0-5460,5461-10922", "0-10922"],
    ["10-20,5-12", "5-20"],
    ["1,3", "1,3"],
    ["1,2", "1-2"],
    ["0-100,50-60,200", "0-100,200"],
  ])("mergeRanges(%s) -> %s", (input, merged) => {
    expect(formatRanges(mergeRanges(parseRanges(input)!))).toBe(merged);
  });

  it.each([
    ["", 0],
    ["7", 1],
    ["0-5460", 5461],
    ["0-16383", 16384],
    ["0-9,20-29", 20],
  ])("countSlots(%s) = %i", (text, n) => {
    expect(countSlots(parseRanges(text)!)).toBe(n);
  });

  it.each(["a", "1-", "5-3", "16384", "-1", "1,,2"])("parseRanges rejects %j", (text) => {
    expect(parseRanges(text)).toBeUndefined();
  });

  it.each([
    ["0-16383", ""],
    ["", "0-16383"],
    ["0-5460,5462-16383", "5461"],
    ["1-16382", "0,16383"],
    ["0-100,50-16000", "16001-16383"],
  ])("uncoveredRanges(%s) -> %s", (owned, gaps) => {
    expect(formatRanges(uncoveredRanges(parseRanges(owned)!))).toBe(gaps);
  });
});
