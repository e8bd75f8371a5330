/**
 * TLS from the command line (bin/redis-pilot.cjs): one cluster-enabled redis-server that
 * speaks only TLS, with a certificate from a CA made here: trusted through
 * NODE_EXTRA_CA_CERTS (node applies it) or --cacert it answers, untrusted it is refused.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect as tlsConnect } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../src/lab/ports.js";
import { findRedisServer } from "../src/lab/redis-binary.js";
import { runBin } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "redis-pilot-tls-"));
const file = (name: string) => join(dir, name);
let server: ChildProcess | undefined;
let address = "";

function openssl(args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
}

/** A CA, and a server certificate it signed for IP 127.0.0.1 (EC keys: fast to make). */
function makeCertificates(): void {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=redis-pilot test CA"]);
  openssl(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
  writeFileSync(file("san.ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "san.ext"]);
}

/** Resolves once the TLS port completes a handshake with the test CA. */
async function waitForTls(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = tlsConnect({ host: "127.0.0.1", port, ca: readFileSync(file("ca.crt")) }, () => (s.end(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not open TLS port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  makeCertificates();
  const port = await findFreePort();
  address = `127.0.0.1:${port}`;
  server = spawn(
    findRedisServer(),
    [
      "--bind", "127.0.0.1", "--port", "0", "--tls-port", String(port),
      "--tls-cert-file", file("server.crt"), "--tls-key-file", file("server.key"), "--tls-ca-cert-file", file("ca.crt"),
      "--tls-auth-clients", "no", "--tls-cluster", "yes",
      "--cluster-enabled", "yes", "--cluster-config-file", file("nodes.conf"),
      "--dir", dir, "--save", "", "--appendonly", "no", "--logfile", file("redis.log"),
    ],
    { stdio: "ignore" },
  );
  await waitForTls(port);
}, 30_000);

afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Runs bin/redis-pilot without this environment's NODE_EXTRA_CA_CERTS, plus env. */
function run(args: string[], env: NodeJS.ProcessEnv) {
  const { NODE_EXTRA_CA_CERTS: _, ...base } = process.env;
  return runBin(args, env, base);
}

describe("cluster info --tls", () => {
  it("trusts the server through NODE_EXTRA_CA_CERTS, as node itself would", async () => {
    const r = await run(["cluster", "info", address, "--tls", "--json"], { NODE_EXTRA_CA_CERTS: file("ca.crt") });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(r.stdout))).toContain(address);
  });

  it("trusts the server through --cacert", async () => {
    const r = await run(["cluster", "info", address, "--cacert", file("ca.crt"), "--json"], {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(address);
  });

  it("refuses a server whose CA it was not given", async () => {
    const r = await run(["cluster", "info", address, "--tls"], {});
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/certificate/i);
  });
});
