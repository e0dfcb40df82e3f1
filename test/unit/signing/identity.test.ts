import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import forge from "node-forge";
import { loadPkcs12 } from "../../../src/pades/seal/identity.js";
import { sealPdf } from "../../../src/pades/seal/seal.js";
import { verifyPdf } from "../../../src/pades/verify/verify.js";
import { AppError } from "../../../src/platform/errors.js";
import { contractPdf } from "../../fixtures/pdf/make-fixtures.js";
import { requireTool, tempDir, testIdentity } from "./helpers.js";

test("the installation CA is a CA and issues a seal certificate for signing", async () => {
  const { ca, seal } = await testIdentity();
  const caCert = new X509Certificate(ca.certificatePem);
  const sealCert = new X509Certificate(seal.certificatePem);
  assert.equal(caCert.ca, true);
  assert.equal(sealCert.ca, false);
  assert.ok(sealCert.checkIssued(caCert) && sealCert.verify(caCert.publicKey));
  assert.match(sealCert.subject, /CN=obrasign seal/);
  assert.match(sealCert.subject, /O=Construtora Teste Ltda/);
  assert.deepEqual(seal.chainPem, [seal.certificatePem, ca.certificatePem]);
  // keyUsage digitalSignature + nonRepudiation, as OpenSSL prints it
  requireTool("openssl");
  const dir = tempDir();
  writeFileSync(join(dir, "seal.pem"), seal.certificatePem);
  const text = execFileSync("openssl", ["x509", "-in", join(dir, "seal.pem"), "-noout", "-ext", "keyUsage"], { encoding: "utf8" });
  assert.match(text, /Digital Signature, Non Repudiation/);
});

function forgePfx(keyPem: string, certs: string[], password: string): Uint8Array {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(keyPem),
    certs.map((c) => forge.pki.certificateFromPem(c)),
    password,
    { algorithm: "3des" },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
}

test("loadPkcs12 opens a 3DES .pfx (older ICP-Brasil tools) and orders the chain signer first", async () => {
  const { ca, seal } = await testIdentity();
  // CA stored first on purpose: the file's order must not matter.
  const loaded = loadPkcs12(forgePfx(seal.privateKeyPem, [ca.certificatePem, seal.certificatePem], "s3nh@"), "s3nh@");
  assert.equal(new X509Certificate(loaded.certificateChain[0]).fingerprint256, new X509Certificate(seal.certificatePem).fingerprint256);
  assert.equal(loaded.certificateChain.length, 2);
  assert.equal(loaded.privateKey.asymmetricKeyType, "rsa");
});

test("loadPkcs12 opens an OpenSSL 3 .pfx (AES-256, SHA-256 MAC) and the key seals", async () => {
  requireTool("openssl");
  const { ca, seal } = await testIdentity();
  const dir = tempDir();
  writeFileSync(join(dir, "key.pem"), seal.privateKeyPem);
  writeFileSync(join(dir, "cert.pem"), seal.certificatePem);
  writeFileSync(join(dir, "ca.pem"), ca.certificatePem);
  execFileSync("openssl", ["pkcs12", "-export", "-inkey", join(dir, "key.pem"), "-in", join(dir, "cert.pem"),
    "-certfile", join(dir, "ca.pem"), "-passout", "pass:senha", "-out", join(dir, "a1.pfx")]);
  const loaded = loadPkcs12(readFileSync(join(dir, "a1.pfx")), "senha");
  const sealed = sealPdf(await contractPdf(), { privateKey: loaded.privateKey, certificateChain: loaded.certificateChain });
  const result = verifyPdf(sealed, { trustedRoots: [ca.certificatePem] });
  assert.equal(result.valid, true);
  assert.equal(result.signatures[0].trusted, true);
});

test("loadPkcs12 reports a wrong password as unprocessable", async () => {
  const { seal } = await testIdentity();
  const pfx = forgePfx(seal.privateKeyPem, [seal.certificatePem], "right");
  assert.throws(() => loadPkcs12(pfx, "wrong"), (e: unknown) => e instanceof AppError && e.code === "unprocessable");
  assert.throws(() => loadPkcs12(Buffer.from("not a pfx"), "x"), (e: unknown) => e instanceof AppError && e.code === "unprocessable");
});
