import assert from "node:assert/strict";
import { randomBytes, X509Certificate } from "node:crypto";
import { after, before, test } from "node:test";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { issueCrl } from "../../../src/pades/seal/crl.js";
import { addDss } from "../../../src/pades/seal/dss.js";
import { addDocumentTimestamp, sealPdf, sealPdfWithTimestamp } from "../../../src/pades/seal/seal.js";
import { verifyPdf } from "../../../src/pades/verify/verify.js";
import { httpTimestampAuthority } from "../../../src/platform/timestamps/http-authority.js";
import { TimestampUnavailable } from "../../../src/platform/timestamps/port.js";
import { contractPdf } from "../../fixtures/pdf/make-fixtures.js";
import { testCa, testLeaf } from "../../support/certificates.js";
import { opensslVerifyToken, startTestTsa, type TestTsa } from "../../support/tsa.js";
import { lastSignatureParts, nssDbTrusting, opensslCmsVerify, pdfsig, qpdfCheck, testIdentity } from "./helpers.js";

let tsa: TestTsa;
before(async () => { tsa = await startTestTsa(); });
after(async () => { await tsa?.close(); });

const day = 24 * 3600 * 1000;
const der = (pem: string) => new Uint8Array(new X509Certificate(pem).raw);
const authority = () => httpTimestampAuthority({ urls: [tsa.url], timeoutMs: 5000 });

function tokenOf(cmsDer: Buffer) {
  const signedData = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn1js.fromBER(new Uint8Array(cmsDer)).result }).content });
  const info = signedData.signerInfos[0]!;
  const attr = info.unsignedAttrs!.attributes.find((a) => a.type === "1.2.840.113549.1.9.16.2.14")!;
  return { token: new Uint8Array(attr.values[0]!.valueBeforeDecodeView), signatureValue: Buffer.from(info.signature.valueBlock.valueHexView) };
}

async function crls() {
  const { ca } = await testIdentity();
  const now = new Date();
  const sealCrl = await issueCrl({ caCertificatePem: ca.certificatePem, caPrivateKeyPem: ca.privateKeyPem, revoked: [], thisUpdate: now, nextUpdate: new Date(now.getTime() + 7 * day), number: 1 });
  const tsaCrl = await issueCrl({ caCertificatePem: tsa.ca.certificatePem, caPrivateKeyPem: tsa.ca.privateKeyPem, revoked: [], thisUpdate: now, nextUpdate: new Date(now.getTime() + 7 * day), number: 1 });
  return { sealCrl, tsaCrl };
}

test("B-T: the seal carries a signature-time-stamp that openssl ts -verify accepts, and verification says B-T", async () => {
  const { ca, seal } = await testIdentity();
  const sealed = await sealPdfWithTimestamp(await contractPdf(), { privateKey: seal.privateKeyPem, certificateChain: seal.chainPem, name: "obrasign" }, (d) => authority().timestamp(d));
  const { der: cmsDer } = lastSignatureParts(sealed);
  const { token, signatureValue } = tokenOf(cmsDer.subarray(0, cmsDer.length));
  assert.match(await opensslVerifyToken(tsa, token, signatureValue), /Verification: OK/);
  assert.ok(opensslCmsVerify(sealed, ca.certificatePem).ok, "the CMS still verifies with the unsigned attribute");
  const [sig] = pdfsig(sealed, nssDbTrusting([ca.certificatePem]));
  assert.ok(sig!.valid && sig!.trusted && sig!.totalDocumentSigned, sig!.text);

  const result = verifyPdf(sealed, { trustedRoots: [ca.certificatePem, tsa.ca.certificatePem] });
  assert.equal(result.valid, true);
  assert.equal(result.level, "B-T");
  assert.match(result.levelReasons.join(" "), /Document Security Store/);
  const ts = result.signatures[0]!.evidence!.timestamp!;
  assert.equal(ts.valid, true);
  assert.equal(ts.trusted, true);
  assert.equal(ts.authority, "Carimbo do Tempo Teste");
  assert.ok(Math.abs(new Date(ts.time!).getTime() - Date.now()) < 60_000);
  const untrustedTsa = verifyPdf(sealed, { trustedRoots: [ca.certificatePem] }).signatures[0]!.evidence!.timestamp!;
  assert.equal(untrustedTsa.valid, true);
  assert.equal(untrustedTsa.trusted, false);
});

test("B-B without a TSA says so; B-LT with a DSS carrying the chains and CRLs; B-LTA with a document timestamp", async () => {
  const { ca, seal } = await testIdentity();
  const roots = [ca.certificatePem, tsa.ca.certificatePem];
  const plain = sealPdf(await contractPdf(), { privateKey: seal.privateKeyPem, certificateChain: seal.chainPem });
  const bb = verifyPdf(plain, { trustedRoots: roots });
  assert.equal(bb.level, "B-B");
  assert.match(bb.levelReasons[0]!, /no signature time-stamp/);

  const sealed = await sealPdfWithTimestamp(await contractPdf(), { privateKey: seal.privateKeyPem, certificateChain: seal.chainPem }, (d) => authority().timestamp(d));
  const { sealCrl, tsaCrl } = await crls();
  const { der: contents } = lastSignatureParts(sealed);
  const withDss = addDss(sealed, { entries: [{ signatureContents: contents, certificates: [...seal.chainPem.map(der), der(tsa.tsa.certificatePem), der(tsa.ca.certificatePem)], crls: [sealCrl, tsaCrl] }] });
  const lt = verifyPdf(withDss, { trustedRoots: roots });
  assert.equal(lt.valid, true, JSON.stringify(lt.signatures));
  assert.equal(lt.level, "B-LT", lt.levelReasons.join("; "));
  assert.deepEqual(lt.dss, { certificates: 4, crls: 2, ocsps: 0 });
  assert.equal(lt.signatures[0]!.evidence!.revocation!.status, "good");
  assert.ok(qpdfCheck(withDss).ok);

  const onlySealCrl = verifyPdf(addDss(sealed, { entries: [{ signatureContents: contents, certificates: seal.chainPem.map(der), crls: [sealCrl] }] }), { trustedRoots: roots });
  assert.equal(onlySealCrl.level, "B-T");
  assert.match(onlySealCrl.levelReasons.join(" "), /Carimbo do Tempo Teste/);

  const lta = await addDocumentTimestamp(withDss, (d) => authority().timestamp(d));
  const result = verifyPdf(lta, { trustedRoots: roots });
  assert.equal(result.valid, true, JSON.stringify(result.signatures));
  assert.equal(result.level, "B-LTA", result.levelReasons.join("; "));
  assert.equal(result.signatures.length, 2);
  assert.equal(result.signatures[1]!.subFilter, "ETSI.RFC3161");
  assert.equal(result.signatures[1]!.trusted, true);
  assert.ok(result.signatures[1]!.coversWholeDocument);
  assert.ok(qpdfCheck(lta).ok);
  // The document timestamp itself, checked by OpenSSL over the byte ranges it covers.
  const docTs = lastSignatureParts(lta);
  assert.match(await opensslVerifyToken(tsa, docTs.der.subarray(0, 2 + 2 + docTs.der.readUInt16BE(2)), docTs.content), /Verification: OK/);
  const sigs = pdfsig(lta, nssDbTrusting([ca.certificatePem, tsa.ca.certificatePem]));
  assert.equal(sigs.length, 2);
  assert.ok(sigs[0]!.valid && sigs[0]!.trusted, sigs[0]!.text);
  // Poppler 22.12 lists a document timestamp but does not validate ETSI.RFC3161 ("Signature Type: unknown"); OpenSSL did above.
  assert.match(sigs[1]!.text, /Carimbo do Tempo Teste/);
  assert.ok(sigs[1]!.totalDocumentSigned, sigs[1]!.text);
});

test("a seal certificate revoked since is reported revoked; without a time-stamp before the revocation it is no longer trusted", async () => {
  const { ca, seal } = await testIdentity();
  const sealed = sealPdf(await contractPdf(), { privateKey: seal.privateKeyPem, certificateChain: seal.chainPem });
  const serial = new X509Certificate(seal.certificatePem).serialNumber;
  const revoked = await issueCrl({ caCertificatePem: ca.certificatePem, caPrivateKeyPem: ca.privateKeyPem, revoked: [{ serial, revokedAt: new Date(Date.now() - day), reason: "keyCompromise" }], thisUpdate: new Date(), nextUpdate: new Date(Date.now() + day), number: 2 });
  const result = verifyPdf(sealed, { trustedRoots: [ca.certificatePem], currentCrls: [revoked] });
  const revocation = result.signatures[0]!.evidence!.revocation!;
  assert.equal(revocation.status, "revoked");
  assert.equal(revocation.reason, "keyCompromise");
  assert.equal(result.signatures[0]!.integrity, true);
  assert.equal(result.signatures[0]!.trusted, false);
  // A CRL from someone else is not believed.
  const other = await issueCrl({ caCertificatePem: tsa.ca.certificatePem, caPrivateKeyPem: tsa.ca.privateKeyPem, revoked: [{ serial, revokedAt: new Date(), reason: "keyCompromise" }], thisUpdate: new Date(), nextUpdate: new Date(Date.now() + day), number: 2 });
  assert.equal(verifyPdf(sealed, { trustedRoots: [ca.certificatePem], currentCrls: [other] }).signatures[0]!.evidence!.revocation!.status, "unknown");
});

test("a serial with a leading zero byte is still found in a CRL written from its hex text", async () => {
  const ca = await testCa("AC Zeros");
  const leaf = await testLeaf(ca, "Selo com zero", { serial: `00c1${randomBytes(10).toString("hex")}` });
  const sealed = sealPdf(await contractPdf(), { privateKey: leaf.privateKeyPem, certificateChain: [leaf.certificatePem, ca.certificatePem] });
  const text = new X509Certificate(leaf.certificatePem).serialNumber; // Node drops the zero byte: "C1…"
  assert.doesNotMatch(text, /^00/);
  const crl = await issueCrl({ caCertificatePem: ca.certificatePem, caPrivateKeyPem: ca.privateKeyPem, revoked: [{ serial: text, revokedAt: new Date(Date.now() - day), reason: "keyCompromise" }], thisUpdate: new Date(), nextUpdate: new Date(Date.now() + day), number: 1 });
  const result = verifyPdf(sealed, { trustedRoots: [ca.certificatePem], currentCrls: [crl] });
  assert.equal(result.signatures[0]!.evidence!.revocation!.status, "revoked");
});

test("the HTTP adapter: Basic credentials, the fallback URL when the first fails, TimestampUnavailable when all do", async () => {
  const digest = new Uint8Array(32).fill(7);
  tsa.requireAuth = { username: "obra", password: "s3nha" };
  await assert.rejects(authority().timestamp(digest), TimestampUnavailable);
  const withAuth = httpTimestampAuthority({ urls: ["http://127.0.0.1:9/down", tsa.url], username: "obra", password: "s3nha", timeoutMs: 2000 });
  const token = await withAuth.timestamp(digest);
  assert.ok(token.length > 500);
  tsa.requireAuth = undefined;
  tsa.down = true;
  await assert.rejects(authority().timestamp(digest), (e: Error) => e instanceof TimestampUnavailable && /HTTP 503/.test(e.message));
  tsa.down = false;
});
