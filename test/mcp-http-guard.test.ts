// DNS-rebinding protection and bearer auth for the HTTP transport, as a table: a page
// on evil.example that rebinds its name to 127.0.0.1 sends our port with its own Host
// and Origin, and must get 403 before the token is even looked at.
import { describe, expect, it } from "vitest";
import { allowedHostEntry, allowedHosts, bearerToken, checkRequest, exposureWarning, isLoopbackOrigin, tokensEqual } from "../src/mcp/http-guard.js";

const token = "s3cret-token-0123456789abcdef";
const policy = { allowedHosts: allowedHosts("127.0.0.1", 8737), token };
const auth = `Bearer ${token}`;

describe("checkRequest", () => {
  it.each<[string, { host?: string; origin?: string; authorization?: string }, number | undefined]>([
    ["right host and token", { host: "127.0.0.1:8737", authorization: auth }, undefined],
    ["localhost name", { host: "localhost:8737", authorization: auth }, undefined],
    ["IPv6 loopback", { host: "[::1]:8737", authorization: auth }, undefined],
    ["host is case-insensitive", { host: "LOCALHOST:8737", authorization: auth }, undefined],
    ["loopback browser origin", { host: "127.0.0.1:8737", origin: "http://localhost:6274", authorization: auth }, undefined],
    ["scheme is case-insensitive", { host: "127.0.0.1:8737", authorization: `bearer ${token}` }, undefined],
    ["no token", { host: "127.0.0.1:8737" }, 401],
    ["wrong token", { host: "127.0.0.1:8737", authorization: "Bearer nope" }, 401],
    ["token prefix", { host: "127.0.0.1:8737", authorization: `Bearer ${token.slice(0, -1)}` }, 401],
    ["basic auth", { host: "127.0.0.1:8737", authorization: `Basic ${token}` }, 401],
    ["rebinding host", { host: "evil.example:8737", authorization: auth }, 403],
    ["rebinding host, no token", { host: "evil.example:8737" }, 403],
    ["right host, other port", { host: "127.0.0.1:9999", authorization: auth }, 403],
    ["no host header", { authorization: auth }, 403],
    ["foreign origin", { host: "127.0.0.1:8737", origin: "https://evil.example", authorization: auth }, 403],
    ["null origin", { host: "127.0.0.1:8737", origin: "null", authorization: auth }, 403],
    ["loopback-looking domain", { host: "127.0.0.1:8737", origin: "http://127.0.0.1.evil.example", authorization: auth }, 403],
  ])("%s", (_, headers, status) => {
    expect(checkRequest(headers, policy)?.status).toBe(status);
  });
});

describe("allowedHosts", () => {
  it("adds a specific bind address but not a wildcard", () => {
    expect([...allowedHosts("127.0.0.5", 80)]).toEqual(["127.0.0.1:80", "localhost:80", "[::1]:80", "127.0.0.5:80"]);
    expect([...allowedHosts("0.0.0.0", 80)]).toEqual(["127.0.0.1:80", "localhost:80", "[::1]:80"]);
    expect(allowedHosts("::1", 80).has("[::1]:80")).toBe(true);
  });

  it("adds every --allowed-host entry", () => {
    expect([...allowedHosts("0.0.0.0", 8737, ["pilot.internal", "proxy.example:443"])]).toEqual([
      "127.0.0.1:8737",
      "localhost:8737",
      "[::1]:8737",
      "pilot.internal:8737",
      "proxy.example:443",
    ]);
  });
});

describe("allowedHostEntry (--allowed-host NAME)", () => {
  it.each<[string, string | undefined]>([
    ["pilot.internal", "pilot.internal:8737"],
    ["Pilot.Internal", "pilot.internal:8737"],
    ["pilot", "pilot:8737"],
    ["pilot.internal:443", "pilot.internal:443"],
    ["10.0.1.5", "10.0.1.5:8737"],
    ["fd00::5", "[fd00::5]:8737"],
    ["[fd00::5]", "[fd00::5]:8737"],
    ["[fd00::5]:9000", "[fd00::5]:9000"],
    ["my-host.example.", "my-host.example.:8737"],
    ["", undefined],
    ["evil.example/x", undefined],
    ["user@pilot", undefined],
    ["pilot internal", undefined],
    ["-pilot", undefined],
    ["pilot:99999", undefined],
    ["pilot:port", undefined],
    ["http://pilot", undefined],
  ])("%s -> %s", (value, entry) => expect(allowedHostEntry(value, 8737)).toBe(entry));
});

describe("checkRequest with --allowed-host", () => {
  const wide = { allowedHosts: allowedHosts("0.0.0.0", 8737, ["pilot.internal"]), token };
  it.each<[string, string | undefined, number | undefined]>([
    ["the allowed name", "pilot.internal:8737", undefined],
    ["the allowed name, any case", "PILOT.internal:8737", undefined],
    ["loopback still", "127.0.0.1:8737", undefined],
    ["the allowed name on another port", "pilot.internal:80", 403],
    ["a name not allowed", "other.internal:8737", 403],
    ["the wildcard itself", "0.0.0.0:8737", 403],
  ])("%s", (_, host, status) => {
    expect(checkRequest({ host, authorization: auth }, wide)?.status).toBe(status);
  });
});

describe("exposureWarning", () => {
  it("is silent on loopback", () => {
    expect(exposureWarning("127.0.0.1", allowedHosts("127.0.0.1", 1))).toBeUndefined();
    expect(exposureWarning("127.3.0.1", allowedHosts("127.3.0.1", 1))).toBeUndefined();
  });

  it("on another address, names the Host values served and the flag that adds one", () => {
    const text = exposureWarning("0.0.0.0", allowedHosts("0.0.0.0", 8737, ["pilot.internal"]))!;
    expect(text).toMatch(/^warning: listening on 0\.0\.0\.0, not loopback; anyone who can reach it and holds the token can use every tool listed\. /);
    expect(text).toContain("127.0.0.1:8737, localhost:8737, [::1]:8737, pilot.internal:8737 are served");
    expect(text).toContain("--allowed-host NAME");
  });
});

describe("isLoopbackOrigin", () => {
  it.each([
    ["http://127.0.0.1:3000", true],
    ["https://localhost", true],
    ["http://[::1]:6274", true],
    ["http://127.8.9.10", true],
    ["file:///etc/passwd", false],
    ["http://10.0.0.1", false],
    ["not a url", false],
  ])("%s -> %s", (origin, ok) => expect(isLoopbackOrigin(origin)).toBe(ok));
});

describe("bearerToken / tokensEqual", () => {
  it("parses one token and compares whole strings", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("Bearer a b")).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(tokensEqual("abc", "abc")).toBe(true);
    expect(tokensEqual("abc", "abcd")).toBe(false);
    expect(tokensEqual("", "abc")).toBe(false);
  });
});
