import { test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { appendManifest } from "../../../src/pades/pdf/manifest.js";
import { sealPdf } from "../../../src/pades/seal/seal.js";
import { sha256Hex, verifyPdf } from "../../../src/pades/verify/verify.js";
import { AppError } from "../../../src/platform/errors.js";
import { contractPdf, foreignSigner, signedElsewhere } from "../../fixtures/pdf/make-fixtures.js";
import { createInstallationCa, createSealCertificate } from "../../../src/pades/seal/identity.js";
import { sampleManifest, testIdentity } from "./helpers.js";

async function sealed(input?: Uint8Array) {
  const { ca, seal } = await testIdentity();
  const bytes = sealPdf(input ?? (await contractPdf()), { privateKey: seal.privateKeyPem, certificateChain: seal.chainPem, name: "obrasign" });
  return { bytes, ca, seal, fingerprint: new X509Certificate(seal.certificatePem).fingerprint256 };
}

test("sha256Hex matches the known digest of 'abc'", () => {
  assert.equal(sha256Hex(Buffer.from("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

test("an unsigned PDF is not valid and lists no signatures", async () => {
  assert.deepEqual(verifyPdf(await contractPdf(), { trustedRoots: [] }), { verdict: "invalid", valid: false, signatures: [], level: null, levelReasons: ["no signature"], dss: null });
});

test("a sealed PDF verifies; trust depends on the configured roots", async () => {
  const { bytes, ca, fingerprint } = await sealed();
  const trusted = verifyPdf(bytes, { trustedRoots: [ca.certificatePem], installationCertFingerprints: [fingerprint.replace(/:/g, "").toLowerCase()] });
  assert.equal(trusted.valid, true);
  assert.equal(trusted.verdict, "valid");
  assert.equal(trusted.signatures[0].trusted, true);
  assert.equal(trusted.signatures[0].isInstallationSeal, true);
  assert.equal(trusted.signatures[0].signer, "obrasign seal");
  assert.equal(trusted.signatures[0].subFilter, "ETSI.CAdES.detached");
  const stranger = verifyPdf(bytes, { trustedRoots: [foreignSigner().certificatePem] });
  assert.equal(stranger.signatures[0].integrity, true);
  assert.equal(stranger.signatures[0].trusted, false);
  assert.equal(stranger.signatures[0].isInstallationSeal, false);
  assert.equal(stranger.verdict, "untrusted");
  assert.equal(stranger.valid, false);
});

test("a seal by a CA anyone can make, named like the installation's, is intact but untrusted", async () => {
  const { ca, seal } = await testIdentity();
  const forgedCa = await createInstallationCa({ installationName: "Construtora Teste Ltda", modulusLength: 2048 });
  const forgedSeal = await createSealCertificate(forgedCa, { modulusLength: 2048 });
  assert.equal(new X509Certificate(forgedSeal.certificatePem).subject, new X509Certificate(seal.certificatePem).subject);
  const forged = sealPdf(await contractPdf(), { privateKey: forgedSeal.privateKeyPem, certificateChain: forgedSeal.chainPem, name: "obrasign" });
  const result = verifyPdf(forged, { trustedRoots: [ca.certificatePem], installationCertFingerprints: [new X509Certificate(seal.certificatePem).fingerprint256] });
  assert.equal(result.signatures[0]!.integrity, true);
  assert.equal(result.verdict, "untrusted");
  assert.equal(result.valid, false);
  assert.equal(result.signatures[0]!.isInstallationSeal, false);
});

test("bytes appended after the seal make the document invalid (not covered)", async () => {
  const { bytes, ca } = await sealed();
  const extended = await appendManifest(bytes, sampleManifest(sha256Hex(bytes)));
  const result = verifyPdf(extended, { trustedRoots: [ca.certificatePem] });
  assert.equal(result.signatures[0].integrity, true);
  assert.equal(result.signatures[0].coversWholeDocument, false);
  assert.equal(result.valid, false);
});

test("a changed /Contents fails integrity", async () => {
  const { bytes, ca } = await sealed();
  const copy = Buffer.from(bytes);
  const open = copy.lastIndexOf("/Contents <") + "/Contents <".length;
  const hex = copy.toString("latin1", open, copy.indexOf(">", open)).replace(/0+$/, "");
  const at = open + hex.length - 20; // the RSA signature value closes the CMS
  copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  const result = verifyPdf(copy, { trustedRoots: [ca.certificatePem] });
  assert.equal(result.valid, false);
  assert.equal(result.signatures[0].integrity, false);
});

test("a document signed elsewhere then sealed reports both signatures in order", async () => {
  const other = foreignSigner();
  const { bytes, ca, fingerprint } = await sealed(await signedElsewhere(other));
  const result = verifyPdf(bytes, { trustedRoots: [ca.certificatePem, other.certificatePem], installationCertFingerprints: [fingerprint] });
  assert.equal(result.valid, true);
  assert.equal(result.signatures.length, 2);
  const [first, last] = result.signatures;
  assert.equal(first.signer, "Fornecedor Externo");
  assert.equal(first.subFilter, "adbe.pkcs7.detached");
  assert.deepEqual([first.integrity, first.trusted, first.coversWholeDocument, first.isInstallationSeal], [true, true, false, false]);
  assert.deepEqual([last.integrity, last.coversWholeDocument, last.isInstallationSeal], [true, true, true]);
});

test("verifyPdf refuses a non-PDF like inspection does", () => {
  assert.throws(() => verifyPdf(Buffer.from("hello"), { trustedRoots: [] }), (e: unknown) => e instanceof AppError && e.code === "unsupported_media_type");
});

test("sealing an already sealed file keeps the first seal intact", async () => {
  const { bytes, ca, seal } = await sealed(await contractPdf({ useObjectStreams: true }));
  const again = sealPdf(bytes, { privateKey: seal.privateKeyPem, certificateChain: seal.chainPem });
  const result = verifyPdf(again, { trustedRoots: [ca.certificatePem] });
  assert.equal(result.valid, true);
  assert.deepEqual(result.signatures.map((s) => [s.fieldName, s.integrity, s.coversWholeDocument]), [
    ["obrasign_seal_1", true, false],
    ["obrasign_seal_2", true, true],
  ]);
});
