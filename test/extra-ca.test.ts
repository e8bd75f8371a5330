/** withDeferredExtraCa: NODE_EXTRA_CA_CERTS, set aside by bin/redis-pilot, applied to TLS connections only. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFERRED_CA_ENV, withDeferredExtraCa } from "../src/redis/extra-ca.js";

const dir = mkdtempSync(join(tmpdir(), "redis-pilot-extra-ca-"));
const pem = join(dir, "extra.pem");
writeFileSync(pem, "-----BEGIN CERTIFICATE-----\nextra\n-----END CERTIFICATE-----\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("withDeferredExtraCa", () => {
  it.each([
    ["no TLS: nothing to add", undefined, { [DEFERRED_CA_ENV]: pem }, undefined],
    ["no deferred file: TLS options as given", { servername: "a" }, {}, { servername: "a" }],
    ["an explicit ca wins, as in Node", { ca: "mine" }, { [DEFERRED_CA_ENV]: pem }, { ca: "mine" }],
    ["an unreadable file: warn, keep the default roots", { servername: "a" }, { [DEFERRED_CA_ENV]: join(dir, "missing.pem") }, { servername: "a" }],
  ])("%s", (_, tls, env, expected) => {
    expect(withDeferredExtraCa(tls, env)).toEqual(expected);
  });

  it("adds the file to Node's default roots when TLS has no ca", () => {
    const out = withDeferredExtraCa({ servername: "a" }, { [DEFERRED_CA_ENV]: pem });
    expect(out?.servername).toBe("a");
    expect(out?.ca).toEqual([...rootCertificates, expect.stringContaining("extra")]);
  });
});
