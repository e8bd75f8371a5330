/** Pure parts of the lab: spec validation, node placement, redis.conf, the probe's reply reader. */
import { describe, expect, it } from "vitest";
import { normalizeSpec, placeNodes } from "../src/lab/spec.js";
import { renderRedisConf } from "../src/lab/redis-conf.js";
import { readReplies } from "../src/lab/node-probe.js";
import { installCommand, searchPath } from "../src/lab/redis-binary.js";

describe("placeNodes", () => {
  it.each([
    [3, 1, ["127.0.1.1 z1", "127.0.1.2 z1", "127.0.1.3 z1"]],
    [4, 2, ["127.0.1.1 z1", "127.0.2.1 z2", "127.0.1.2 z1", "127.0.2.2 z2"]],
    [5, 3, ["127.0.1.1 z1", "127.0.2.1 z2", "127.0.3.1 z3", "127.0.1.2 z1", "127.0.2.2 z2"]],
    [2, 2, ["127.0.1.1 z1", "127.0.2.1 z2"]],
  ])("%i nodes over %i zones", (nodes, zones, want) => {
    expect(placeNodes(nodes, zones).map((p) => `${p.host} ${p.zone}`)).toEqual(want);
  });

  it("gives every node of a 64-node, 3-zone lab its own host", () => {
    const hosts = placeNodes(64, 3).map((p) => p.host);
    expect(new Set(hosts).size).toBe(64);
  });
});

describe("normalizeSpec", () => {
  it("fills the documented defaults", () => {
    expect(normalizeSpec({ name: "demo", nodes: 6 })).toEqual({ name: "demo", nodes: 6, cluster: true, zones: 1, backend: "local", nodeTimeoutMs: 15000 });
  });

  it.each([
    [{ name: "Demo", nodes: 3 }, /Lab name 'Demo'/],
    [{ name: "a".repeat(41), nodes: 3 }, /Lab name/],
    [{ name: "../x", nodes: 3 }, /Lab name/],
    [{ name: "", nodes: 3 }, /Lab name/],
    [{ name: "ok", nodes: 0 }, /nodes must be .* 1 to 64, got 0/],
    [{ name: "ok", nodes: 65 }, /nodes must be .* 1 to 64, got 65/],
    [{ name: "ok", nodes: 2.5 }, /nodes must be/],
    [{ name: "ok", nodes: 3, zones: 4 }, /zones must be .* 1 to 3, got 4/],
    [{ name: "ok", nodes: 3, zones: 0 }, /zones must be/],
    [{ name: "ok", nodes: 3, nodeTimeoutMs: 5 }, /nodeTimeoutMs must be/],
    [{ name: "ok", nodes: 3, password: "a b" }, /password/],
    [{ name: "ok", nodes: 3, password: "" }, /password/],
  ])("refuses %j", (input, message) => {
    expect(() => normalizeSpec(input)).toThrow(message);
  });
});

describe("renderRedisConf", () => {
  const base = { host: "127.0.2.1", port: 7001, dir: "/tmp/redis-pilot-x/node-0", logfile: "/tmp/redis-pilot-x/node-0/redis.log", nodeTimeoutMs: 2000 };

  it("writes a cluster node's directives", () => {
    const conf = renderRedisConf({ ...base, cluster: true });
    for (const line of [
      "bind 127.0.2.1",
      "port 7001",
      'dir "/tmp/redis-pilot-x/node-0"',
      "cluster-enabled yes",
      "cluster-config-file nodes.conf",
      "cluster-node-timeout 2000",
      'save ""',
      "appendonly no",
      "daemonize no",
    ]) {
      expect(conf.split("\n")).toContain(line);
    }
    expect(conf).toContain("{config-file}");
    expect(conf).not.toContain("requirepass");
  });

  it("leaves cluster directives out of a plain node and puts the password in the file", () => {
    const conf = renderRedisConf({ ...base, cluster: false, password: "s3cret!" });
    expect(conf).toContain("cluster-enabled no");
    expect(conf).not.toContain("cluster-config-file");
    expect(conf).toContain('requirepass "s3cret!"');
    expect(conf).toContain('masterauth "s3cret!"');
  });

  it("adds extra directives and refuses ones that would inject lines", () => {
    expect(renderRedisConf({ ...base, cluster: true, extra: { "enable-debug-command": "local" } })).toContain("enable-debug-command local");
    expect(() => renderRedisConf({ ...base, cluster: true, extra: { "x y": "1" } })).toThrow(/directive/);
    expect(() => renderRedisConf({ ...base, cluster: true, extra: { save: "1\nslaveof 1.2.3.4 1" } })).toThrow(/directive/);
  });
});

describe("readReplies", () => {
  const b = (s: string) => Buffer.from(s);
  it.each([
    ["$5\r\nhello\r\n", 1, [{ ok: "hello" }]],
    ["+OK\r\n$3\r\nabc\r\n", 2, [{ ok: "OK" }, { ok: "abc" }]],
    ["-WRONGPASS invalid\r\n-NOAUTH needed\r\n", 2, [{ error: "WRONGPASS invalid" }, { error: "NOAUTH needed" }]],
    ["$-1\r\n", 1, [{ ok: "" }]],
    ["$10\r\nhel", 1, undefined],
    ["+OK\r\n", 2, undefined],
    ["", 1, undefined],
    ["*1\r\n", 1, [{ error: "unexpected reply type '*'" }]],
  ])("%j (%i replies)", (text, count, want) => {
    expect(readReplies(b(text), count)).toEqual(want);
  });

  it("counts bytes, not characters, in bulk strings", () => {
    expect(readReplies(b("$4\r\nzé!\r\n"), 1)).toEqual([{ ok: "zé!" }]);
  });
});

describe("redis binaries", () => {
  it("tells root and non-root users the one install command", () => {
    expect(installCommand(true)).toBe("apt-get install -y redis-server redis-tools");
    expect(installCommand(false)).toBe("sudo apt-get install -y redis-server redis-tools");
  });

  it("searches PATH entries in order and skips missing ones", () => {
    expect(searchPath("redis-server", "/nonexistent:/usr/bin")).toBe("/usr/bin/redis-server");
    expect(searchPath("redis-server", "/nonexistent")).toBeUndefined();
    expect(searchPath("redis-server", undefined)).toBeUndefined();
  });
});
