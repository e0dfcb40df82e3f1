/**
 * Checks one detached CMS signature against the bytes it claims to cover,
 * with node:crypto (streamed digest; no copy of the document).
 */
import { constants, createHash, verify, X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { OID } from "../seal/cms.js";

const DIGESTS: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};
const RSA_PSS = "1.2.840.113549.1.1.10";
const TST_INFO = "1.2.840.113549.1.9.16.1.4";

function timestampImprintProblem(content: Buffer, ranges: Uint8Array[]): string | undefined {
  try {
    const parsed = asn1js.fromBER(new Uint8Array(content));
    if (parsed.offset === -1) return "unreadable timestamp token";
    const info = new pkijs.TSTInfo({ schema: parsed.result });
    const hash = DIGESTS[info.messageImprint.hashAlgorithm.algorithmId];
    if (!hash) return "unknown timestamp imprint algorithm";
    const imprint = Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView);
    return imprint.equals(digestOf(hash, ranges)) ? undefined : "timestamp imprint does not match the signed bytes";
  } catch (error) {
    return `unreadable timestamp token: ${(error as Error).message}`;
  }
}

export interface CmsCheck {
  integrity: boolean;
  /** Why integrity failed, for logs and the verification page. */
  problem?: string;
  signer?: X509Certificate;
  certificates: X509Certificate[];
  signingTimeAttribute?: Date;
}

export function verifyDetachedCms(der: Uint8Array, ranges: Uint8Array[]): CmsCheck {
  let signedData: pkijs.SignedData;
  let certificates: X509Certificate[];
  try {
    const parsed = asn1js.fromBER(der);
    if (parsed.offset === -1) throw new Error("not DER");
    const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
    if (contentInfo.contentType !== OID.signedData) throw new Error("not SignedData");
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
    certificates = rawCertificates(contentInfo.content as asn1js.Sequence);
  } catch (error) {
    return { integrity: false, certificates: [], problem: `unreadable CMS: ${(error as Error).message}` };
  }
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) return { integrity: false, certificates, problem: "no signer" };
  const signer = findSigner(signerInfo, signedData, certificates);
  if (!signer) return { integrity: false, certificates, problem: "signer certificate not included" };
  const hash = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (!hash) return { integrity: false, signer, certificates, problem: "unknown digest algorithm" };

  const rangeDigest = digestOf(hash, ranges);
  const eContent = signedData.encapContentInfo.eContent?.getValue();
  const content = eContent ? Buffer.from(eContent) : undefined;
  if (content) {
    // A document timestamp (ETSI.RFC3161) signs a TSTInfo whose imprint is
    // the digest of the byte ranges; adbe.pkcs7.sha1 embeds that SHA-1 digest
    // as the content itself.
    const problem =
      signedData.encapContentInfo.eContentType === TST_INFO ? timestampImprintProblem(content, ranges) : content.equals(digestOf("sha1", ranges)) ? undefined : "embedded digest mismatch";
    if (problem) return { integrity: false, signer, certificates, problem };
  }

  let signedBytes: Buffer;
  let signingTimeAttribute: Date | undefined;
  if (signerInfo.signedAttrs) {
    const attrs = signerInfo.signedAttrs.attributes;
    const messageDigest = attrs.find((a) => a.type === OID.messageDigest)?.values[0];
    const expected = content ? createHash(hash).update(content).digest() : rangeDigest;
    if (!(messageDigest instanceof asn1js.OctetString) || !Buffer.from(messageDigest.getValue()).equals(expected)) {
      return { integrity: false, signer, certificates, problem: "messageDigest does not match the signed bytes" };
    }
    const time = attrs.find((a) => a.type === OID.signingTime)?.values[0];
    if (time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime) signingTimeAttribute = time.toDate();
    signedBytes = Buffer.from(signerInfo.signedAttrs.encodedValue.slice(0));
    signedBytes[0] = 0x31; // signed as a SET OF, stored as [0] IMPLICIT
  } else {
    signedBytes = content ?? Buffer.concat(ranges);
  }

  const algorithm = signerInfo.signatureAlgorithm.algorithmId;
  const key = signer.publicKey;
  const signature = Buffer.from(signerInfo.signature.getValue());
  let ok = false;
  try {
    ok = verify(
      hash,
      signedBytes,
      key.asymmetricKeyType === "ec"
        ? { key, dsaEncoding: "der" }
        : algorithm === RSA_PSS
          ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }
          : key,
      signature,
    );
  } catch {
    ok = false;
  }
  return ok
    ? { integrity: true, signer, certificates, signingTimeAttribute }
    : { integrity: false, signer, certificates, signingTimeAttribute, problem: "signature does not verify" };
}

function digestOf(hash: string, ranges: Uint8Array[]): Buffer {
  const h = createHash(hash);
  for (const range of ranges) h.update(range);
  return h.digest();
}

/** Certificates as their original encodings (re-encoding could alter them). */
export function rawCertificates(signedData: asn1js.Sequence): X509Certificate[] {
  const tagged = signedData.valueBlock.value.find((v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 0);
  const items = (tagged as asn1js.Constructed | undefined)?.valueBlock.value ?? [];
  return items.flatMap((item) => {
    try {
      return [new X509Certificate(Buffer.from(item.valueBeforeDecodeView))];
    } catch {
      return [];
    }
  });
}

export function findSigner(info: pkijs.SignerInfo, signedData: pkijs.SignedData, raw: X509Certificate[]): X509Certificate | undefined {
  const parsed = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  if (info.sid instanceof pkijs.IssuerAndSerialNumber) {
    const sid = info.sid;
    const index = parsed.findIndex((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
    return index >= 0 ? raw[index] : undefined;
  }
  // SubjectKeyIdentifier: compare with each certificate's extension.
  const wanted = Buffer.from((info.sid as asn1js.OctetString).valueBlock.valueHexView);
  const index = parsed.findIndex((c) => {
    const ext = c.extensions?.find((e) => e.extnID === "2.5.29.14")?.parsedValue;
    return ext instanceof asn1js.OctetString && Buffer.from(ext.valueBlock.valueHexView).equals(wanted);
  });
  return index >= 0 ? raw[index] : undefined;
}
