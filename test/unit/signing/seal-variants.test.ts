/**
 * Manifest + seal on every kind of PDF users upload, checked by validators
 * we did not write: pdfsig (poppler/NSS), openssl cms, qpdf --check.
 * Needs Debian packages poppler-utils, libnss3-tools, openssl, qpdf.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { appendManifest } from "../../../src/pades/pdf/manifest.js";
import { inspectPdf } from "../../../src/pades/pdf/inspect.js";
import { sealPdf } from "../../../src/pades/seal/seal.js";
import { sha256Hex, verifyPdf } from "../../../src/pades/verify/verify.js";
import { X509Certificate } from "node:crypto";
import { foreignSigner, signedElsewhere, variants } from "../../fixtures/pdf/make-fixtures.js";
import { nssDbTrusting, opensslCmsVerify, pdfsig, qpdfCheck, requireTool, sampleManifest, testIdentity } from "./helpers.js";

const foreign = foreignSigner();
const builders: Record<string, () => Promise<Uint8Array>> = { ...variants, signedElsewhere: () => signedElsewhere(foreign) };

/** Flips a byte of the binary comment on line 2: inside the signed range, harmless to parsers. */
function tamper(bytes: Uint8Array): Uint8Array {
  const copy = Buffer.from(bytes);
  const at = copy.indexOf(0x0a) + 2;
  copy[at] ^= 0x01;
  return copy;
}

describe("seal + manifest on each PDF variant", () => {
  let nssDir: string;
  before(async () => {
    ["pdfsig", "certutil", "qpdf", "openssl"].forEach(requireTool);
    const { ca } = await testIdentity();
    nssDir = nssDbTrusting([ca.certificatePem, foreign.certificatePem]);
  });

  for (const [variant, build] of Object.entries(builders)) {
    test(variant, async () => {
      const { ca, seal } = await testIdentity();
      const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
      const original = await build();
      const before = inspectPdf(original);
      const foreignBefore = pdfsig(original, nssDir);

      const withManifest = await appendManifest(original, sampleManifest(sha256Hex(original)));
      assert.ok(Buffer.from(withManifest.subarray(0, original.length)).equals(Buffer.from(original)), "manifest is append-only");
      const sealed = sealPdf(withManifest, {
        privateKey: seal.privateKeyPem,
        certificateChain: seal.chainPem,
        reason: "Manifesto de assinaturas",
        location: "São Paulo, Brasil",
        signingTime,
      });
      assert.ok(Buffer.from(sealed.subarray(0, withManifest.length)).equals(Buffer.from(withManifest)), "seal is append-only");
      assert.ok(inspectPdf(sealed).pageCount > before.pageCount, "manifest pages added");

      const report = pdfsig(sealed, nssDir);
      assert.equal(report.length, foreignBefore.length + 1, report.map((r) => r.text).join("\n"));
      const ours = report[report.length - 1];
      assert.ok(ours.valid && ours.totalDocumentSigned && ours.trusted, ours.text);
      assert.equal(ours.subFilter, "ETSI.CAdES.detached");
      for (const earlier of report.slice(0, -1)) {
        assert.ok(earlier.valid, `earlier signature still valid:\n${earlier.text}`);
        assert.ok(!earlier.totalDocumentSigned);
      }

      const cms = opensslCmsVerify(sealed, ca.certificatePem);
      assert.ok(cms.ok, cms.output);

      const check = qpdfCheck(sealed);
      const originalCheck = qpdfCheck(original);
      // Only a file that already had warnings may keep them (exit 3); errors never.
      assert.ok(check.ok || (!originalCheck.ok && !/^ERROR/m.test(check.output)), check.output);

      const verified = verifyPdf(sealed, {
        trustedRoots: [ca.certificatePem],
        installationCertFingerprints: [new X509Certificate(seal.certificatePem).fingerprint256],
      });
      assert.equal(verified.valid, true);
      const last = verified.signatures[verified.signatures.length - 1];
      assert.deepEqual(
        { integrity: last.integrity, trusted: last.trusted, whole: last.coversWholeDocument, seal: last.isInstallationSeal, signedAt: last.signedAt },
        { integrity: true, trusted: true, whole: true, seal: true, signedAt: signingTime.toISOString() },
      );

      const broken = tamper(sealed);
      assert.equal(pdfsig(broken, nssDir).at(-1)?.valid, false, "pdfsig sees the change");
      const brokenReport = verifyPdf(broken, { trustedRoots: [ca.certificatePem] });
      assert.equal(brokenReport.valid, false);
      assert.equal(brokenReport.signatures.at(-1)?.integrity, false);
    });
  }
});
