/**
 * A local RFC 3161 time-stamp authority on loopback for the tests: OpenSSL's
 * own `openssl ts -reply` (an implementation independent of ours) behind a
 * tiny node:http handler. Its CA is a throw-away one made here.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as x509 from "@peculiar/x509";
import { issueCrl } from "../../src/pades/seal/crl.js";
import { testCa, testLeaf, type TestKeyCert } from "./certificates.js";

const run = promisify(execFile);

export interface TestTsa {
  url: string;
  ca: TestKeyCert;
  tsa: TestKeyCert;
  /** Directory holding ca.pem, tsa.pem (for `openssl ts -verify -CAfile … -untrusted …`). */
  dir: string;
  /** How many requests it answered with a token. */
  granted: number;
  /** When true it answers 503 to everything, like a TSA that is down. */
  down: boolean;
  /** Credentials it requires (HTTP Basic), when set. */
  requireAuth?: { username: string; password: string };
  close(): Promise<void>;
}

/** `notAfter`: when the TSA's certificate expires (a year from now when absent), to play a TSA that renewed its certificate. */
export async function startTestTsa(options: { notAfter?: Date } = {}): Promise<TestTsa> {
  const dir = mkdtempSync(join(tmpdir(), "obrasign-tsa-"));
  let crl: Uint8Array = new Uint8Array();
  const server: Server = createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ca = await testCa("TSA Raiz Teste");
  const tsa = await testLeaf(ca, "Carimbo do Tempo Teste", { usages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, eku: ["1.3.6.1.5.5.7.3.8"], crlUrl: `${base}/crl`, ...(options.notAfter ? { notAfter: options.notAfter } : {}) });
  crl = await issueCrl({ caCertificatePem: ca.certificatePem, caPrivateKeyPem: ca.privateKeyPem, revoked: [], thisUpdate: new Date(), nextUpdate: new Date(Date.now() + 7 * 86400_000), number: 1 });
  writeFileSync(join(dir, "ca.pem"), ca.certificatePem);
  writeFileSync(join(dir, "tsa.pem"), tsa.certificatePem);
  writeFileSync(join(dir, "tsa.key"), tsa.privateKeyPem);
  writeFileSync(join(dir, "chain.pem"), ca.certificatePem);
  writeFileSync(join(dir, "serial"), "01\n");
  writeFileSync(
    join(dir, "tsa.cnf"),
    [
      "[ tsa ]", "default_tsa = tsa_config1", "[ tsa_config1 ]", `dir = ${dir}`, "serial = $dir/serial", "crypto_device = builtin",
      "signer_cert = $dir/tsa.pem", "certs = $dir/chain.pem", "signer_key = $dir/tsa.key", "signer_digest = sha256",
      "default_policy = 1.3.6.1.4.1.99999.1", "digests = sha256, sha384, sha512", "accuracy = secs:1", "ordering = no",
      "tsa_name = yes", "ess_cert_id_chain = no", "ess_cert_id_alg = sha256", "",
    ].join("\n"),
  );
  let counter = 0;
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === "GET" && request.url === "/crl") return void response.writeHead(200, { "content-type": "application/pkix-crl" }).end(crl);
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", async () => {
      if (state.down) return void response.writeHead(503).end();
      if (state.requireAuth) {
        const expected = `Basic ${Buffer.from(`${state.requireAuth.username}:${state.requireAuth.password}`).toString("base64")}`;
        if (request.headers.authorization !== expected) return void response.writeHead(401).end();
      }
      if (request.method !== "POST" || request.headers["content-type"] !== "application/timestamp-query") return void response.writeHead(400).end();
      const n = ++counter;
      const query = join(dir, `q${n}.tsq`);
      const reply = join(dir, `r${n}.tsr`);
      writeFileSync(query, Buffer.concat(chunks));
      try {
        await run("openssl", ["ts", "-reply", "-config", join(dir, "tsa.cnf"), "-queryfile", query, "-chain", join(dir, "chain.pem"), "-out", reply]);
        state.granted++;
        response.writeHead(200, { "content-type": "application/timestamp-reply" }).end(readFileSync(reply));
      } catch (error) {
        response.writeHead(500).end(String(error));
      }
    });
  };
  const state: TestTsa = {
    url: `${base}/tsa`,
    ca, tsa, dir, granted: 0, down: false,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return state;
}

/** `openssl ts -verify` of a token (DER TimeStampToken) over `data`, against the test TSA's CA. */
export async function opensslVerifyToken(tsa: TestTsa, token: Uint8Array, data: Uint8Array): Promise<string> {
  const n = Math.random().toString(36).slice(2);
  writeFileSync(join(tsa.dir, `t${n}.der`), token);
  writeFileSync(join(tsa.dir, `d${n}.bin`), data);
  const { stdout } = await run("openssl", ["ts", "-verify", "-token_in", "-in", join(tsa.dir, `t${n}.der`), "-data", join(tsa.dir, `d${n}.bin`), "-CAfile", join(tsa.dir, "ca.pem"), "-untrusted", join(tsa.dir, "tsa.pem")]);
  return stdout;
}
