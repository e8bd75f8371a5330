// Credentials for bare HOST:PORT at the CLI, like redis-cli's: flags and REDISCLI_AUTH to
// connection options, and how the resolver combines them with a target's own credentials.
// (test/cli-cluster.test.ts runs them against password-protected servers.)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connectionFromFlags, type CredentialFlags } from "../src/cli/credentials.js";
import { parseConfig } from "../src/targets/config.js";
import { createResolver } from "../src/targets/resolver.js";
import { useTempLabHome } from "./helpers/env.js";

useTempLabHome();
const dir = mkdtempSync(join(tmpdir(), "redis-pilot-creds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ca = join(dir, "ca.pem");
writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n");

describe("connectionFromFlags", () => {
  it.each<[string, CredentialFlags, Record<string, string>, unknown]>([
    ["nothing given", {}, {}, undefined],
    ["REDISCLI_AUTH", {}, { REDISCLI_AUTH: "env-pw" }, { password: "env-pw" }],
    ["an empty REDISCLI_AUTH is no password", {}, { REDISCLI_AUTH: "" }, undefined],
    ["-a wins over REDISCLI_AUTH", { pass: "flag-pw" }, { REDISCLI_AUTH: "env-pw" }, { password: "flag-pw" }],
    ["--user with REDISCLI_AUTH", { user: "ops" }, { REDISCLI_AUTH: "env-pw" }, { username: "ops", password: "env-pw" }],
    ["--tls alone", { tls: true }, {}, { tls: {} }],
    ["--cacert implies --tls", { cacert: ca }, {}, { tls: { ca: expect.any(Buffer) } }],
    ["--sni and --insecure", { sni: "redis.internal", insecure: true }, {}, { tls: { servername: "redis.internal", rejectUnauthorized: false } }],
  ])("%s", (_name, flags, env, expected) => {
    expect(connectionFromFlags(flags, env)).toEqual(expected);
  });

  it("a missing --cacert file is a ValidationError naming the file", () => {
    expect(() => connectionFromFlags({ cacert: join(dir, "missing.pem"), pass: "pw-not-shown" }, {})).toThrow(
      expect.objectContaining({ code: "invalid_input", message: `Cannot read the --cacert file ${join(dir, "missing.pem")}.` }),
    );
  });
});

describe("the resolver with operator credentials", () => {
  process.env.TEST_TARGET_PW = "target-pw";
  const config = parseConfig(
    JSON.stringify({
      targets: {
        withPw: { nodes: ["10.1.0.1:6379"], passwordEnv: "TEST_TARGET_PW" },
        noPw: { nodes: ["10.2.0.1:6379"] },
      },
    }),
    "config.json",
  );
  const adhoc = { username: "ops", password: "cli-pw" };
  const resolver = createResolver({ config, allowAdhocMutations: true, adhocConnection: adhoc });

  it.each([
    ["bare addresses of no lab or target take them", ["10.9.0.1:6379"], { username: "ops", password: "cli-pw" }],
    ["a target's own password wins; the CLI fills the username", ["10.1.0.1:6379"], { username: "ops", password: "target-pw" }],
    ["a target without credentials takes the CLI's", ["10.2.0.1:6379"], { username: "ops", password: "cli-pw" }],
  ])("%s", async (_name, nodes, expected) => {
    const r = await resolver.resolve({ nodes }, { mutate: false });
    expect(r.access.connection(nodes[0])).toMatchObject(expected);
  });

  it("without operator credentials, bare addresses connect without any", async () => {
    const r = await createResolver({ config }).resolve({ nodes: ["10.9.0.1:6379"] }, { mutate: false });
    expect(r.access.connection("10.9.0.1:6379")).toEqual({ ip: "10.9.0.1" });
  });
});
